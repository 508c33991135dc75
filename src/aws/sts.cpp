#include "aws/sts.hpp"

#include "aws/aws_error.hpp"
#include "aws/credential_sources.hpp"
#include "aws/endpoint.hpp"
#include "aws/retry_policy.hpp"
#include "aws/sigv4.hpp"

namespace regsweep {
namespace {

std::string form_body(const std::string& action, const AssumeRoleParams& params) {
  std::string body = "Action=" + action +
                     "&Version=2011-06-15&RoleArn=" + aws_uri_encode(params.role_arn, false) +
                     "&RoleSessionName=" + aws_uri_encode(params.session_name, false);
  if (params.duration_seconds > 0)
    body += "&DurationSeconds=" + std::to_string(params.duration_seconds);
  if (!params.external_id.empty())
    body += "&ExternalId=" + aws_uri_encode(params.external_id, false);
  return body;
}

Result<AwsCredentials> parse_credentials(const HttpResponse& response, const std::string& what,
                                         const std::string& role_arn) {
  const std::string& xml = response.body;
  AwsCredentials creds;
  creds.access_key_id = xml_text(xml, "AccessKeyId");
  creds.secret_access_key = Secret(xml_text(xml, "SecretAccessKey"));
  creds.session_token = Secret(xml_text(xml, "SessionToken"));
  const std::string expiration = xml_text(xml, "Expiration");
  creds.expiration = parse_timestamp(expiration);
  if (creds.access_key_id.empty() || creds.secret_access_key.empty() || !creds.expiration)
    return make_error(ErrorCode::unauthorized,
                      what +
                          ": the STS answer has no usable Credentials (AccessKeyId, "
                          "SecretAccessKey, Expiration); fix: check the STS endpoint");
  if (auto checked = check_credential_characters(creds, what + ": the STS answer",
                                                 {"AccessKeyId", "SecretAccessKey", "SessionToken"},
                                                 ErrorCode::unauthorized);
      !checked)
    return checked.error();
  creds.source = "assumed role " + role_arn;
  return creds;
}

// Returns the body of the 200 answer. Each call has its own quota: STS calls are few (one per
// credential refresh), so the budget that protects a busy endpoint never comes into play.
Result<std::string> call_sts(const StsClientConfig& sts, const HttpRequest& request,
                             const std::string& what, const AwsCredentials* signer) {
  RetryOptions options;
  options.max_attempts = k_sts_max_attempts;
  RetryPolicy policy(options, *sts.clock);
  auto attempts = policy.start();
  while (true) {
    HttpRequest r = request;
    r.attempt = attempts.failed_attempts() + 1;
    if (const auto action = r.body.find("Action="); action != std::string::npos)
      r.operation = "sts " + r.body.substr(action + 7, r.body.find('&', action) - action - 7);
    if (signer != nullptr) {
      auto signed_request = sign_request(r, *signer, {sts.signing_region, "sts"}, sts.clock->now());
      if (!signed_request) return signed_request.error();
    }
    auto response = sts.http->send(r);
    Error error;
    if (!response) {
      error = response.error();
      error.message = what + ": " + error.message;
    } else if (response->status == 200) {
      attempts.succeeded();
      return std::move(response->body);
    } else {
      error = classify_aws_error(
          response->status, sanitize_error_code(xml_text(response->body, "Code")),
          xml_text(response->body, "Message"), what, xml_text(response->body, "RequestId"));
    }
    if (!attempts.retry_after(error, what)) return error;
  }
}

Result<AwsCredentials> call_sts_for_credentials(const StsClientConfig& sts, HttpRequest request,
                                                const std::string& what,
                                                const std::string& role_arn,
                                                const AwsCredentials* signer) {
  auto body = call_sts(sts, request, what, signer);
  if (!body) return std::move(body).take_error();
  HttpResponse response;
  response.status = 200;
  response.body = std::move(body).value();
  return parse_credentials(response, what, role_arn);
}

HttpRequest sts_request(const StsClientConfig& sts, std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.url = sts.endpoint_url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  request.body = std::move(body);
  return request;
}

}  // namespace

std::string xml_text(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  const auto start = xml.find(open);
  if (start == std::string_view::npos) return {};
  const auto begin = start + open.size();
  const auto end = xml.find(close, begin);
  if (end == std::string_view::npos) return {};
  std::string_view raw = xml.substr(begin, end - begin);
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out += raw[i];
      continue;
    }
    static constexpr std::pair<std::string_view, char> k_entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool matched = false;
    for (const auto& [entity, c] : k_entities) {
      if (raw.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size() - 1;
        matched = true;
        break;
      }
    }
    if (!matched) out += '&';
  }
  // Trim surrounding whitespace (pretty-printed answers).
  const auto first = out.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(" \t\r\n") - first + 1);
}

Result<StsClientConfig> resolve_sts(const AwsEnvironment& env, const AwsProfile& profile,
                                    const std::string& region, std::shared_ptr<HttpClient> http) {
  StsClientConfig sts;
  sts.http = std::move(http);
  sts.clock = env.clock;
  sts.signing_region = region.empty() ? "us-east-1" : region;
  if (region.empty()) {
    // No region anywhere: the global endpoint, unless one is configured.
    auto configured = resolve_endpoint_url(sts_endpoint_names(), "", "us-east-1", env, profile);
    if (!configured) return configured.error();
    sts.endpoint_url = *configured == "https://sts.us-east-1.amazonaws.com"
                           ? "https://sts.amazonaws.com"
                           : *configured;
    return sts;
  }
  auto url = resolve_endpoint_url(sts_endpoint_names(), "", region, env, profile);
  if (!url) return url.error();
  sts.endpoint_url = *url;
  return sts;
}

Result<AwsCredentials> sts_assume_role(const StsClientConfig& sts, const AwsCredentials& source,
                                       const AssumeRoleParams& params) {
  return call_sts_for_credentials(sts, sts_request(sts, form_body("AssumeRole", params)),
                                  "sts AssumeRole " + params.role_arn, params.role_arn, &source);
}

Result<AwsCredentials> sts_assume_role_with_web_identity(const StsClientConfig& sts,
                                                         const AssumeRoleParams& params,
                                                         const Secret& token) {
  return call_sts_for_credentials(
      sts,
      sts_request(sts, form_body("AssumeRoleWithWebIdentity", params) +
                           "&WebIdentityToken=" + aws_uri_encode(token.reveal(), false)),
      "sts AssumeRoleWithWebIdentity " + params.role_arn, params.role_arn, nullptr);
}

Result<CallerIdentity> sts_get_caller_identity(const StsClientConfig& sts,
                                               const AwsCredentials& credentials) {
  const std::string what = "sts GetCallerIdentity";
  auto body = call_sts(sts, sts_request(sts, "Action=GetCallerIdentity&Version=2011-06-15"), what,
                       &credentials);
  if (!body) return std::move(body).take_error();
  CallerIdentity identity{xml_text(*body, "Account"), xml_text(*body, "Arn"),
                          xml_text(*body, "UserId")};
  if (identity.account.empty() || identity.arn.empty()) {
    return make_error(ErrorCode::internal,
                      what +
                          ": the answer names no Account and Arn; fix: check the STS endpoint "
                          "(AWS_ENDPOINT_URL_STS)");
  }
  return identity;
}

}  // namespace regsweep
