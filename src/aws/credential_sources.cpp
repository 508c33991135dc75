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

Status check_credential_characters(const AwsCredentials& creds, const std::string& where,
                                   const CredentialFieldNames& names, ErrorCode code) {
  const std::pair<const std::string*, const std::string*> fields[] = {
      {&creds.access_key_id, &names.access_key_id},
      {&creds.secret_access_key.reveal(), &names.secret_access_key},
      {&creds.session_token.reveal(), &names.session_token},
  };
  for (const auto& [value, name] : fields) {
    if (has_control_character(*value))
      return make_error(code, where + ": " + *name +
                                  ": contains a control character (a line break, tab or another "
                                  "byte below 0x20, or DEL); refused, it would corrupt the request "
                                  "headers; fix: set it again from the original, without "
                                  "surrounding line breaks or other control characters");
  }
  return ok_status();
}

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
  std::string token_name = "AWS_SESSION_TOKEN";
  std::string token = env_value(env, token_name);
  if (token.empty()) {
    token_name = "AWS_SECURITY_TOKEN";
    token = env_value(env, token_name);
  }
  creds.session_token = Secret(token);
  creds.source = "environment";
  if (auto checked = check_credential_characters(
          creds, "aws credentials: environment",
          {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", token_name}, ErrorCode::invalid_input);
      !checked)
    return checked.error();
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
  if (auto checked = check_credential_characters(
          creds, "aws credentials: " + source,
          {"aws_access_key_id", "aws_secret_access_key", "aws_session_token"},
          ErrorCode::invalid_input);
      !checked)
    return checked.error();
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
  if (auto checked = check_credential_characters(
          creds, what, {"AccessKeyId", "SecretAccessKey", "Token"}, ErrorCode::unauthorized);
      !checked)
    return checked.error();
  return creds;
}

}  // namespace regsweep
