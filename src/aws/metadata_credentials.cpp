// Container (ECS, EKS Pod Identity) and EC2 instance metadata credentials (docs/research/ecr-api.md
// §7.6, §7.7).
#include <fstream>
#include <sstream>

#include "aws/credential_sources.hpp"
#include "http/url.hpp"

namespace regsweep {
namespace {

constexpr std::chrono::milliseconds k_container_timeout{2000};
constexpr std::chrono::milliseconds k_imds_timeout{1000};

bool allowed_container_host(const ParsedUrl& url) {
  if (url.scheme == "https") return true;
  return is_loopback_host(url.host) || url.host == "169.254.170.2" ||
         url.host == "169.254.170.23" || url.host == "fd00:ec2::23";
}

Result<std::string> container_token(const AwsEnvironment& env) {
  std::string token;
  if (const std::string file = env_value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
      !file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
      return make_error(
          ErrorCode::unauthorized,
          "aws credentials: container: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + file +
              "; fix: check the path and its permissions");
    std::ostringstream text;
    text << in.rdbuf();
    token = text.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
      token.pop_back();
  } else {
    token = env_value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (has_control_character(token))
    return make_error(ErrorCode::unauthorized,
                      "aws credentials: container: the authorization token contains a control "
                      "character (a line break, tab or another byte below 0x20, or DEL); fix: "
                      "check AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)");
  return token;
}

}  // namespace

bool container_credentials_configured(const AwsEnvironment& env) {
  return !env_value(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").empty() ||
         !env_value(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI").empty();
}

Result<AwsCredentials> container_credentials(const AwsEnvironment& env, HttpClient& http) {
  std::string url;
  if (const auto relative = env_value(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
      !relative.empty()) {
    url = "http://169.254.170.2" + relative;
  } else {
    url = env_value(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    auto parsed = parse_url(url);
    if (!parsed)
      return make_error(ErrorCode::invalid_input,
                        "aws credentials: container: AWS_CONTAINER_CREDENTIALS_FULL_URI: " +
                            parsed.error().message);
    if (!allowed_container_host(*parsed))
      return make_error(ErrorCode::invalid_input,
                        "aws credentials: container: AWS_CONTAINER_CREDENTIALS_FULL_URI " +
                            redact_url(url) +
                            ": plain http is allowed only to loopback, 169.254.170.2, "
                            "169.254.170.23 or fd00:ec2::23; fix: use https");
  }
  const std::string what = "aws credentials: container endpoint " + redact_url(url);
  auto token = container_token(env);
  if (!token) return token.error();
  HttpRequest request{"GET", url, {{"Accept", "application/json"}}, ""};
  if (!token->empty()) request.headers.emplace_back("Authorization", *token);
  request.timeout = k_container_timeout;
  Result<HttpResponse> response = make_error(ErrorCode::internal, "not attempted");
  for (int attempt = 0; attempt < 3; ++attempt) {
    response = http.send(request);
    if (response.ok() && response->status < 500) break;
  }
  if (!response) return make_error(ErrorCode::unauthorized, what + ": " + response.error().message);
  if (response->status != 200)
    return make_error(ErrorCode::unauthorized,
                      what + ": HTTP " + std::to_string(response->status) +
                          "; fix: check the task role / pod identity association");
  auto creds = parse_metadata_credentials(response->body, what);
  if (creds) creds->source = "container credentials";
  return creds;
}

bool imds_disabled(const AwsEnvironment& env) {
  return env_true(env, "AWS_EC2_METADATA_DISABLED");
}

std::string imds_endpoint(const AwsEnvironment& env) {
  std::string endpoint = env_value(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (endpoint.empty())
    endpoint = env_value(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") == "IPv6"
                   ? "http://[fd00:ec2::254]"
                   : "http://169.254.169.254";
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  return endpoint;
}

OptionalCredentials imds_credentials(const AwsEnvironment& env, HttpClient& http) {
  if (imds_disabled(env)) return std::optional<AwsCredentials>();
  const std::string base = imds_endpoint(env);
  const std::string what = "aws credentials: EC2 instance metadata " + redact_url(base);
  HttpRequest token_request{
      "PUT", base + "/latest/api/token", {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}}, ""};
  token_request.timeout = k_imds_timeout;
  auto token = http.send(token_request);
  // No answer, or IMDSv2 refused: not on EC2 (or v2 unavailable). We do not fall back to v1.
  if (!token || token->status != 200 || token->body.empty()) return std::optional<AwsCredentials>();
  // The session token goes back in a header: one with a line break in it is not used.
  if (has_control_character(token->body))
    return make_error(ErrorCode::unauthorized,
                      what +
                          ": the IMDSv2 session token contains a control character; refused; "
                          "fix: check AWS_EC2_METADATA_SERVICE_ENDPOINT");
  const HttpHeaders auth = {{"X-aws-ec2-metadata-token", token->body}};
  HttpRequest role_request{"GET", base + "/latest/meta-data/iam/security-credentials/", auth, ""};
  role_request.timeout = k_imds_timeout;
  auto role = http.send(role_request);
  if (!role) return make_error(ErrorCode::unauthorized, what + ": " + role.error().message);
  if (role->status == 404) return std::optional<AwsCredentials>();  // no instance profile
  if (role->status != 200)
    return make_error(ErrorCode::unauthorized,
                      what + ": role lookup answered HTTP " + std::to_string(role->status));
  std::string name = role->body.substr(0, role->body.find_first_of("\r\n"));
  if (name.empty()) return std::optional<AwsCredentials>();
  HttpRequest creds_request{"GET", base + "/latest/meta-data/iam/security-credentials/" + name,
                            auth, ""};
  creds_request.timeout = k_imds_timeout;
  auto answer = http.send(creds_request);
  if (!answer) return make_error(ErrorCode::unauthorized, what + ": " + answer.error().message);
  if (answer->status != 200)
    return make_error(ErrorCode::unauthorized, what + ": credentials for role " + name +
                                                   " answered HTTP " +
                                                   std::to_string(answer->status));
  auto creds = parse_metadata_credentials(answer->body, what);
  if (!creds) return creds.error();
  creds->source = "EC2 instance metadata (role " + name + ")";
  return std::optional<AwsCredentials>(std::move(*creds));
}

}  // namespace regsweep
