// IAM Identity Center profiles (see sso_credentials.hpp).
#include "aws/sso_credentials.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "aws/aws_error.hpp"
#include "aws/credential_sources.hpp"
#include "aws/endpoint.hpp"
#include "aws/retry_policy.hpp"
#include "aws/sigv4.hpp"
#include "util/input_file.hpp"

namespace regsweep {
namespace {

constexpr std::size_t k_token_cache_max_bytes = 1 * k_mebibyte;

std::string sha1_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha1(), nullptr);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += k_hex[digest[i] >> 4];
    out += k_hex[digest[i] & 0xf];
  }
  return out;
}

std::string login_fix(const SsoProfile& sso) {
  return "fix: run `aws sso login --profile " + sso.profile + "`";
}

std::string value_of(const IniSection& section, const std::string& key) {
  auto it = section.find(key);
  return it == section.end() ? std::string() : it->second;
}

// "2025-01-15T13:00:00Z"; older AWS CLIs wrote "2025-01-15T13:00:00UTC".
std::optional<EpochMillis> parse_expires_at(std::string text) {
  if (text.ends_with("UTC")) text = text.substr(0, text.size() - 3) + "Z";
  return parse_timestamp(text);
}

// The cached access token, checked for expiry. Errors never quote the file's content.
Result<Secret> cached_token(const SsoProfile& sso, const AwsEnvironment& env) {
  const std::string path = sso_token_cache_path(sso, env);
  const std::string where = "aws credentials: profile '" + sso.profile + "': SSO " +
                            (sso.session_name.empty() ? "start URL " + sso.start_url
                                                      : "session '" + sso.session_name + "'");
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    return make_error(ErrorCode::unauthorized,
                      where + ": no cached token (" + path + "): not signed in; " + login_fix(sso));
  auto text = read_input_file("", path, k_token_cache_max_bytes);
  if (!text) {
    return make_error(ErrorCode::unauthorized,
                      where + ": the token cache " + text.error().message + "; " + login_fix(sso));
  }
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  const auto field = [&doc](const char* key) {
    if (!doc.is_object()) return std::string();
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const std::string token = field("accessToken");
  const std::string expires_text = field("expiresAt");
  const auto expires_at = parse_expires_at(expires_text);
  if (token.empty() || !expires_at)
    return make_error(ErrorCode::unauthorized, where + ": the token cache " + path +
                                                   " has no usable accessToken and expiresAt; " +
                                                   login_fix(sso));
  if (*expires_at <= env.clock->now())
    return make_error(ErrorCode::unauthorized, where + ": the SSO token expired at " +
                                                   format_iso8601(*expires_at) + "; " +
                                                   login_fix(sso));
  if (has_control_character(token))  // it goes into a header
    return make_error(
        ErrorCode::unauthorized,
        where + ": the cached accessToken contains a control character; " + login_fix(sso));
  return Secret(token);
}

Result<AwsCredentials> parse_role_credentials(const std::string& body, const std::string& what) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  const nlohmann::json* role = nullptr;
  if (doc.is_object()) {
    auto it = doc.find("roleCredentials");
    if (it != doc.end() && it->is_object()) role = &*it;
  }
  const auto text = [role](const char* key) {
    if (role == nullptr) return std::string();
    auto it = role->find(key);
    return it != role->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  AwsCredentials creds;
  creds.access_key_id = text("accessKeyId");
  creds.secret_access_key = Secret(text("secretAccessKey"));
  creds.session_token = Secret(text("sessionToken"));
  if (role != nullptr) {  // epoch milliseconds, as a JSON number
    auto it = role->find("expiration");
    if (it != role->end() && it->is_number_integer()) creds.expiration = it->get<EpochMillis>();
  }
  if (creds.access_key_id.empty() || creds.secret_access_key.empty() || !creds.expiration)
    return make_error(ErrorCode::unauthorized,
                      what +
                          ": the answer has no usable roleCredentials (accessKeyId, "
                          "secretAccessKey, expiration); fix: check the SSO endpoint "
                          "(AWS_ENDPOINT_URL_SSO)");
  if (auto checked = check_credential_characters(creds, what + ": the answer",
                                                 {"accessKeyId", "secretAccessKey", "sessionToken"},
                                                 ErrorCode::unauthorized);
      !checked)
    return checked.error();
  return creds;
}

}  // namespace

Result<std::optional<SsoProfile>> find_sso_profile(const AwsConfigFiles& files,
                                                   const AwsProfile& profile) {
  const char* const k_keys[] = {"sso_session", "sso_start_url", "sso_account_id", "sso_role_name"};
  bool any = false;
  for (const char* key : k_keys) any = any || !profile.config_value(key).empty();
  if (!any) return std::optional<SsoProfile>();
  const std::string where =
      "aws credentials: profile '" + profile.name + "' in " + files.config_path;
  SsoProfile sso;
  sso.profile = profile.name;
  sso.session_name = profile.config_value("sso_session");
  sso.start_url = profile.config_value("sso_start_url");
  sso.region = profile.config_value("sso_region");
  sso.account_id = profile.config_value("sso_account_id");
  sso.role_name = profile.config_value("sso_role_name");
  if (!sso.session_name.empty()) {
    auto it = files.config.find("sso-session " + sso.session_name);
    if (it == files.config.end())
      return make_error(ErrorCode::invalid_input,
                        where + ": sso_session: there is no [sso-session " + sso.session_name +
                            "] section; fix: add it (aws configure sso-session) or correct the "
                            "name");
    // As botocore: a key in both places must agree; the session's fills what the profile lacks.
    for (auto [key, into] :
         {std::pair{"sso_start_url", &sso.start_url}, std::pair{"sso_region", &sso.region}}) {
      const std::string in_session = value_of(it->second, key);
      if (in_session.empty()) continue;
      if (!into->empty() && *into != in_session)
        return make_error(ErrorCode::invalid_input,
                          where + ": " + key + " differs between the profile and [sso-session " +
                              sso.session_name + "]; fix: remove it from the profile");
      *into = in_session;
    }
  }
  std::string missing;
  for (auto [key, value] :
       {std::pair{"sso_start_url", &sso.start_url}, std::pair{"sso_region", &sso.region},
        std::pair{"sso_account_id", &sso.account_id}, std::pair{"sso_role_name", &sso.role_name}}) {
    if (value->empty()) missing += (missing.empty() ? "" : ", ") + std::string(key);
  }
  if (!missing.empty()) {
    const std::string where_to =
        sso.session_name.empty() ? "the profile" : "the profile or its [sso-session]";
    return make_error(ErrorCode::invalid_input,
                      where + ": an SSO profile, but " + missing +
                          (missing.find(',') == std::string::npos ? " is" : " are") +
                          " missing; fix: add them to " + where_to +
                          " (aws configure sso --profile " + profile.name + " writes them)");
  }
  if (!is_region_name(sso.region))
    return make_error(ErrorCode::invalid_input,
                      where + ": sso_region: not a region name; fix: e.g. sso_region = eu-west-1");
  return std::optional<SsoProfile>(std::move(sso));
}

std::string sso_token_cache_path(const SsoProfile& sso, const AwsEnvironment& env) {
  return env.home + "/.aws/sso/cache/" +
         sha1_hex(sso.session_name.empty() ? sso.start_url : sso.session_name) + ".json";
}

Result<AwsCredentials> sso_role_credentials(const SsoProfile& sso, const AwsEnvironment& env,
                                            const AwsProfile& portal, HttpClient& http) {
  auto token = cached_token(sso, env);
  if (!token) return std::move(token).take_error();
  auto base = resolve_endpoint_url(sso_endpoint_names(), "", sso.region, env, portal);
  if (!base) return std::move(base).take_error();
  std::string url = *base;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/federation/credentials?account_id=" + aws_uri_encode(sso.account_id, false) +
         "&role_name=" + aws_uri_encode(sso.role_name, false);
  const std::string what = "aws credentials: profile '" + sso.profile +
                           "': SSO GetRoleCredentials (account " + sso.account_id + ", role " +
                           sso.role_name + ")";
  HttpRequest request{"GET", url, {{"x-amz-sso_bearer_token", token->reveal()}}, ""};
  RetryOptions options;
  options.max_attempts = 3;
  RetryPolicy policy(options, *env.clock);
  auto attempts = policy.start();
  while (true) {
    auto response = http.send(request);
    Error error;
    if (!response) {
      error = response.error();
      error.message = what + ": " + error.message;
    } else if (response->status == 200) {
      attempts.succeeded();
      auto creds = parse_role_credentials(response->body, what);
      if (creds)
        creds->source = "SSO profile " + sso.profile + " (account " + sso.account_id + ", role " +
                        sso.role_name + ")";
      return creds;
    } else if (response->status == 401) {
      // UnauthorizedException: the token expired early, was revoked or is not this portal's.
      return make_error(ErrorCode::unauthorized,
                        what + ": the SSO token was refused (HTTP 401: expired or signed out); " +
                            login_fix(sso));
    } else {
      const auto doc = nlohmann::json::parse(response->body, nullptr, false);
      std::string message;
      if (doc.is_object()) {
        for (const char* key : {"message", "Message"}) {
          if (auto it = doc.find(key); it != doc.end() && it->is_string()) message = *it;
        }
      }
      std::string code = response->header("x-amzn-errortype");
      if (code.empty() && doc.is_object() && doc.contains("__type") && doc["__type"].is_string())
        code = doc["__type"].get<std::string>();
      error = classify_aws_error(response->status, sanitize_error_code(code), message, what,
                                 response->header("x-amzn-requestid"));
      if (error.code == ErrorCode::forbidden || error.code == ErrorCode::not_found)
        error.message +=
            "; fix: check sso_account_id and sso_role_name (is this role assigned "
            "to you in IAM Identity Center?)";
    }
    if (!attempts.retry_after(error, what)) return error;
  }
}

}  // namespace regsweep
