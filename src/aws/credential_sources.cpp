#include "aws/credential_sources.hpp"

#include <nlohmann/json.hpp>

#include "aws/sigv4.hpp"

namespace regsweep {
namespace {

std::string json_string(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

OptionalCredentials environment_credentials(const AwsEnvironment& env) {
  const std::string id = env_value(env, "AWS_ACCESS_KEY_ID");
  const std::string secret = env_value(env, "AWS_SECRET_ACCESS_KEY");
  if (id.empty() && secret.empty()) return std::optional<AwsCredentials>();
  if (id.empty() || secret.empty())
    return make_error(
        ErrorCode::unauthorized,
        std::string("aws credentials: environment: ") +
            (id.empty() ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
                        : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not") +
            "; fix: set both, or neither");
  AwsCredentials creds;
  creds.access_key_id = id;
  creds.secret_access_key = Secret(secret);
  std::string token = env_value(env, "AWS_SESSION_TOKEN");
  if (token.empty()) token = env_value(env, "AWS_SECURITY_TOKEN");
  creds.session_token = Secret(token);
  creds.source = "environment";
  return std::optional<AwsCredentials>(std::move(creds));
}

OptionalCredentials section_credentials(const IniSection& section, const std::string& source) {
  auto get = [&](const char* key) {
    auto it = section.find(key);
    return it == section.end() ? std::string() : it->second;
  };
  const std::string id = get("aws_access_key_id");
  const std::string secret = get("aws_secret_access_key");
  if (id.empty() && secret.empty()) return std::optional<AwsCredentials>();
  if (id.empty() || secret.empty())
    return make_error(ErrorCode::unauthorized,
                      "aws credentials: " + source +
                          ": has only one of aws_access_key_id and aws_secret_access_key; fix: "
                          "set both");
  AwsCredentials creds;
  creds.access_key_id = id;
  creds.secret_access_key = Secret(secret);
  creds.session_token = Secret(get("aws_session_token"));
  creds.source = source;
  return std::optional<AwsCredentials>(std::move(creds));
}

Result<AwsCredentials> parse_metadata_credentials(const std::string& body,
                                                  const std::string& what) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object())
    return make_error(ErrorCode::unauthorized, what + ": the answer is not a JSON object");
  if (auto code = json_string(j, "Code"); !code.empty() && code != "Success")
    return make_error(ErrorCode::unauthorized, what + ": the answer's Code is " + code);
  AwsCredentials creds;
  creds.access_key_id = json_string(j, "AccessKeyId");
  creds.secret_access_key = Secret(json_string(j, "SecretAccessKey"));
  creds.session_token = Secret(json_string(j, "Token"));
  if (const auto exp = json_string(j, "Expiration"); !exp.empty()) {
    creds.expiration = parse_timestamp(exp);
    if (!creds.expiration)
      return make_error(ErrorCode::unauthorized, what + ": Expiration is not an ISO 8601 time");
  }
  if (creds.access_key_id.empty() || creds.secret_access_key.empty())
    return make_error(ErrorCode::unauthorized,
                      what + ": the answer lacks AccessKeyId or SecretAccessKey");
  return creds;
}

}  // namespace regsweep
