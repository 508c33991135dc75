// STS for the emulator (sts.hpp). Only what regsweep's credential chain and the AWS CLI send:
// AssumeRole with RoleArn, RoleSessionName, optional DurationSeconds and ExternalId; and
// GetCallerIdentity.
#include "sts.hpp"

#include <cctype>
#include <chrono>
#include <ctime>
#include <map>
#include <random>

#include "crypto.hpp"

namespace ecr_emulator {
namespace {

constexpr const char* k_xmlns = "https://sts.amazonaws.com/doc/2011-06-15/";

std::string url_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(const std::string& body) {
  std::map<std::string, std::string> form;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    if (!pair.empty()) {
      try {
        form[url_decode(pair.substr(0, eq))] =
            eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
      } catch (const std::exception&) {
        // a malformed %-escape: the member is left out, and its absence is reported
      }
    }
    start = end + 1;
  }
  return form;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

StsReply sts_error(int status, const std::string& code, const std::string& message,
                   const std::string& action) {
  const std::string type = status >= 500 ? "Receiver" : "Sender";
  return {status,
          std::string("<ErrorResponse xmlns=\"") + k_xmlns + "\"><Error><Type>" + type +
              "</Type><Code>" + xml_escape(code) + "</Code><Message>" + xml_escape(message) +
              "</Message></Error><RequestId>" + random_uuid() + "</RequestId></ErrorResponse>",
          action};
}

std::string iso8601(Millis t) {
  std::time_t seconds = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

bool all_digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// "arn:aws:iam::111111111111:role/path/name" -> account, name; nullopt when malformed.
std::optional<std::pair<std::string, std::string>> parse_role_arn(const std::string& arn) {
  const std::string prefix = ":iam::";
  if (!arn.starts_with("arn:aws")) return std::nullopt;
  const auto at = arn.find(prefix);
  if (at == std::string::npos) return std::nullopt;
  const std::string account = arn.substr(at + prefix.size(), 12);
  if (account.size() != 12 || !all_digits(account)) return std::nullopt;
  const std::string rest = arn.substr(at + prefix.size() + 12);
  if (!rest.starts_with(":role/") || rest.size() <= 6) return std::nullopt;
  const auto slash = rest.rfind('/');
  return std::make_pair(account, rest.substr(slash + 1));
}

std::string random_suffix() {
  static thread_local std::mt19937 generator{std::random_device{}()};
  constexpr std::string_view k_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  for (int i = 0; i < 4; ++i) out += k_chars[generator() % k_chars.size()];
  return out;
}

std::string derived(const Credentials& credentials, const std::string& purpose,
                    const std::string& access_key) {
  return base64_encode(hmac_sha256(credentials.secret_key, purpose + ":" + access_key));
}

// The access key of the request's Authorization header ("Credential=KEY/..."); "" without one.
std::string signing_key(const HttpRequestView& request) {
  const auto auth = request.header("authorization");
  if (!auth) return {};
  const auto at = auth->find("Credential=");
  if (at == std::string::npos) return {};
  const auto start = at + 11;
  return auth->substr(start, auth->find('/', start) - start);
}

// "AROA" + 17 characters derived from the role ARN: a stable RoleId, like IAM's unique ids.
std::string role_id(const std::string& role_arn) {
  std::string id = sha256_hex(role_arn).substr(0, 17);
  for (auto& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "AROA" + id;
}

// "arn:PARTITION:..." -> PARTITION ("aws" when malformed).
std::string partition_of(const std::string& arn) {
  const auto end = arn.find(':', 4);
  return arn.starts_with("arn:") && end != std::string::npos ? arn.substr(4, end - 4) : "aws";
}

constexpr std::string_view k_token_prefix = "emulator-session/";

std::string token_mac(const Credentials& credentials, const std::string& access_key,
                      const std::string& payload) {
  return derived(credentials, "token", access_key + "\n" + payload);
}

// GetCallerIdentity: the signing key's principal (request_principal). Every identity may call it,
// as on AWS.
StsReply caller_identity(const HttpRequestView& request, const Credentials& credentials) {
  Principal who =
      request_principal(request, credentials)
          .value_or(Principal{credentials.account_id,
                              "arn:aws:iam::" + credentials.account_id + ":user/emulator", "",
                              "AIDA" + credentials.account_id});
  const std::string body =
      std::string("<GetCallerIdentityResponse xmlns=\"") + k_xmlns +
      "\"><GetCallerIdentityResult><Arn>" + xml_escape(who.arn) + "</Arn><UserId>" +
      xml_escape(who.user_id) + "</UserId><Account>" + who.account +
      "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>" + random_uuid() +
      "</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
  return {200, body, "GetCallerIdentity"};
}

}  // namespace

std::optional<std::string> temporary_secret(const Credentials& credentials,
                                            const std::string& access_key) {
  if (access_key.size() != 20 || !access_key.starts_with("ASIA") ||
      access_key.substr(4, 12) != credentials.account_id) {
    return std::nullopt;
  }
  return derived(credentials, "secret", access_key).substr(0, 40);
}

std::string temporary_session_token(const Credentials& credentials, const std::string& access_key,
                                    const SessionIdentity& identity) {
  const std::string payload = identity.role_arn + "\n" + identity.session_name;
  return std::string(k_token_prefix) + base64_encode(payload) + "." +
         token_mac(credentials, access_key, payload);
}

std::optional<SessionIdentity> session_identity(const Credentials& credentials,
                                                const std::string& access_key,
                                                const std::string& token) {
  if (!token.starts_with(k_token_prefix)) return std::nullopt;
  const std::string rest = token.substr(k_token_prefix.size());
  const auto dot = rest.find('.');
  if (dot == std::string::npos) return std::nullopt;
  const auto payload = base64_decode(rest.substr(0, dot));
  if (!payload ||
      !constant_time_equal(rest.substr(dot + 1), token_mac(credentials, access_key, *payload))) {
    return std::nullopt;
  }
  const auto newline = payload->find('\n');
  if (newline == std::string::npos) return std::nullopt;
  return SessionIdentity{payload->substr(0, newline), payload->substr(newline + 1)};
}

std::optional<Principal> request_principal(const HttpRequestView& request,
                                           const Credentials& credentials) {
  const std::string key = signing_key(request);
  if (key == credentials.access_key) {
    const std::string arn = "arn:aws:iam::" + credentials.account_id + ":user/emulator";
    return Principal{credentials.account_id, arn, arn, "AIDA" + credentials.account_id};
  }
  if (key.size() != 20 || !key.starts_with("ASIA")) return std::nullopt;
  Credentials issuer = credentials;
  issuer.account_id = key.substr(4, 12);
  const auto token = request.header("x-amz-security-token");
  const auto identity = token ? session_identity(issuer, key, *token) : std::nullopt;
  const auto role = identity ? parse_role_arn(identity->role_arn) : std::nullopt;
  if (!role) return std::nullopt;
  return Principal{role->first,
                   "arn:" + partition_of(identity->role_arn) + ":sts::" + role->first +
                       ":assumed-role/" + role->second + "/" + identity->session_name,
                   identity->role_arn, role_id(identity->role_arn) + ":" + identity->session_name};
}

bool is_sts_request(const HttpRequestView& request) {
  if (request.header("x-amz-target")) return false;
  const auto type = request.header("content-type");
  return type && type->find("application/x-www-form-urlencoded") != std::string::npos;
}

StsReply handle_sts(const HttpRequestView& request, const Credentials& credentials,
                    bool verify_signature, Millis now,
                    const RequiredExternalIds& required_external_ids) {
  const auto form = parse_form(request.body != nullptr ? *request.body : std::string());
  const auto member = [&](const std::string& name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  const std::string action = member("Action");
  if (verify_signature) {
    if (auto error = verify_sigv4(request, credentials, now, "sts")) {
      return sts_error(error->status,
                       error->type == "UnrecognizedClientException" ? "InvalidClientTokenId"
                                                                    : "SignatureDoesNotMatch",
                       error->what(), "(unauthenticated)");
    }
  }
  if (action == "GetCallerIdentity") return caller_identity(request, credentials);
  if (action != "AssumeRole") {
    return sts_error(400, "InvalidAction",
                     "Could not find operation " + action + " for version " + member("Version"),
                     action.empty() ? "(no action)" : action);
  }
  const std::string role_arn = member("RoleArn");
  const auto role = parse_role_arn(role_arn);
  if (!role) {
    return sts_error(400, "ValidationError",
                     role_arn.empty() ? "1 validation error detected: Value null at 'roleArn' "
                                        "failed to satisfy constraint: Member must not be null"
                                      : role_arn + " is invalid",
                     action);
  }
  const std::string session = member("RoleSessionName");
  if (session.size() < 2 || session.size() > 64 ||
      session.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                "_+=,.@-") != std::string::npos) {
    return sts_error(400, "ValidationError",
                     "1 validation error detected: Value '" + session +
                         "' at 'roleSessionName' failed to satisfy constraint: Member must "
                         "have length between 2 and 64 and match [\\w+=,.@-]*",
                     action);
  }
  long duration = 3600;
  if (const std::string d = member("DurationSeconds"); !d.empty()) {
    duration = all_digits(d) && d.size() < 7 ? std::stol(d) : -1;
    if (duration < 900 || duration > 43200) {
      return sts_error(400, "ValidationError",
                       "1 validation error detected: Value '" + d +
                           "' at 'durationSeconds' failed to satisfy constraint: Member must "
                           "have value between 900 and 43200",
                       action);
    }
  }
  if (const auto required = required_external_ids.find(role_arn);
      required != required_external_ids.end() && member("ExternalId") != required->second) {
    const auto caller = request_principal(request, credentials);
    return sts_error(403, "AccessDenied",
                     "User: " + (caller ? caller->arn : std::string("(unknown)")) +
                         " is not authorized to perform: sts:AssumeRole on resource: " + role_arn,
                     action);
  }
  Credentials issuer = credentials;
  issuer.account_id = role->first;
  const std::string key = "ASIA" + role->first + random_suffix();
  const std::string body =
      std::string("<AssumeRoleResponse xmlns=\"") + k_xmlns +
      "\"><AssumeRoleResult><Credentials><AccessKeyId>" + key + "</AccessKeyId><SecretAccessKey>" +
      xml_escape(*temporary_secret(issuer, key)) + "</SecretAccessKey><SessionToken>" +
      xml_escape(temporary_session_token(issuer, key, {role_arn, session})) +
      "</SessionToken><Expiration>" + iso8601(now + duration * 1000) +
      "</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>" + role_id(role_arn) + ":" +
      xml_escape(session) + "</AssumedRoleId><Arn>arn:" + partition_of(role_arn) +
      ":sts::" + role->first + ":assumed-role/" + xml_escape(role->second) + "/" +
      xml_escape(session) +
      "</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>" + random_uuid() +
      "</RequestId></ResponseMetadata></AssumeRoleResponse>";
  return {200, body, action};
}

}  // namespace ecr_emulator
