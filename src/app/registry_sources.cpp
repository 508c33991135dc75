#include "app/registry_sources.hpp"

#include <algorithm>
#include <cctype>

#include "aws/session.hpp"
#include "http/http_client.hpp"
#include "registry/ecr/ecr_registry.hpp"
#include "registry/snapshot/snapshot_registry.hpp"

namespace regsweep {
namespace {

// The reader's messages name the file, line and column; the flag is named here.
Result<std::vector<OpenedRegistry>> open_snapshot(const std::string& path) {
  auto snapshot = SnapshotRegistry::open(path);
  if (!snapshot.ok()) {
    Error error = std::move(snapshot).take_error();
    error.message = "--snapshot " + error.message;
    return error;
  }
  std::vector<OpenedRegistry> opened(1);
  opened[0].registry = std::move(snapshot).value();
  opened[0].label = opened[0].registry->describe();
  return opened;
}

// The account of a session's caller identity (STS), for EcrTarget::caller_account.
std::function<Result<std::string>()> caller_account(
    std::function<Result<CallerIdentity>()> caller_identity) {
  return [caller_identity = std::move(caller_identity)]() -> Result<std::string> {
    auto identity = caller_identity();
    if (!identity) return std::move(identity).take_error();
    return identity->account;
  };
}

// The ARN of a session's caller identity (STS), for OpenedRegistry::caller_arn.
std::function<Result<std::string>()> caller_arn(
    std::function<Result<CallerIdentity>()> caller_identity) {
  return [caller_identity = std::move(caller_identity)]() -> Result<std::string> {
    auto identity = caller_identity();
    if (!identity) return std::move(identity).take_error();
    return identity->arn;
  };
}

}  // namespace

ApiCalls api_calls_of(const std::vector<OpenedRegistry>& opened) {
  ApiCalls calls;
  for (const auto& o : opened)
    if (o.calls) add_calls(calls, o.calls->counts());
  return calls;
}

std::string account_of_role(const std::string& role_arn) {
  // arn:PARTITION:iam::ACCOUNT:role/NAME
  constexpr std::string_view k_iam = ":iam::";
  const auto start = role_arn.find(k_iam);
  if (role_arn.rfind("arn:", 0) != 0 || start == std::string::npos) return {};
  const auto account_start = start + k_iam.size();
  const auto end = role_arn.find(':', account_start);
  if (end == std::string::npos || role_arn.compare(end, 6, ":role/") != 0) return {};
  std::string account = role_arn.substr(account_start, end - account_start);
  // An account id is 12 digits; the role name must not hold a control character (it is shown,
  // and goes into STS calls).
  if (account.size() != 12 ||
      !std::all_of(account.begin(), account.end(),
                   [](unsigned char c) { return std::isdigit(c); }) ||
      has_control_character(role_arn))
    return {};
  return account;
}

Status check_one_registry(const RegistrySource& source, const std::string& command) {
  const std::size_t pairs = std::max<std::size_t>(1, source.regions.size()) *
                            std::max<std::size_t>(1, source.role_arns.size());
  if (!source.live() || pairs == 1) return ok_status();
  return make_error(ErrorCode::invalid_input,
                    command + " works on one registry at a time, and --region x --role-arn name " +
                        std::to_string(pairs) +
                        "; fix: give one --region and at most one --role-arn (run it once per "
                        "registry)");
}

Status check_live_registry(const RegistrySource& source, const std::string& command) {
  if (source.live()) return ok_status();
  return make_error(ErrorCode::invalid_input,
                    "--snapshot: a snapshot is read-only; " + command +
                        " needs a live registry (--region/--profile/--endpoint-url)");
}

Status check_roles(const std::vector<std::string>& role_arns, const std::string& external_id,
                   const std::string& role_flag, const std::string& external_id_flag) {
  for (const auto& role : role_arns) {
    if (account_of_role(role).empty()) {
      const std::string shown = has_control_character(role) ? "the value" : "\"" + role + "\"";
      return make_error(
          ErrorCode::invalid_input,
          role_flag + ": " + shown + " is not a role ARN; write arn:aws:iam::ACCOUNT_ID:role/NAME");
    }
  }
  return check_external_id(external_id, !role_arns.empty(), role_flag, external_id_flag);
}

Status check_external_id(const std::string& external_id, bool has_roles,
                         const std::string& role_flag, const std::string& external_id_flag) {
  if (external_id.empty()) return ok_status();
  if (!has_roles)
    return make_error(ErrorCode::invalid_input,
                      external_id_flag + ": given without a role to assume; fix: add " + role_flag +
                          " (the external id is sent when assuming it)");
  const bool allowed = std::all_of(external_id.begin(), external_id.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("+=,.@:/-_").find(static_cast<char>(c)) != std::string_view::npos;
  });
  if (!allowed || external_id.size() < 2 || external_id.size() > 1224)
    return make_error(ErrorCode::invalid_input,
                      external_id_flag +
                          ": not an external id STS accepts (2 to 1224 characters: letters, "
                          "digits and +=,.@:/-_); fix: copy it from the role's trust policy "
                          "(sts:ExternalId)");
  return ok_status();
}

Result<std::vector<OpenedRegistry>> open_registries(const RegistrySource& source) {
  if (!source.live() && source.shard)
    return make_error(ErrorCode::invalid_input,
                      "--shard-count: shards split live registries by account and region; a "
                      "--snapshot is one file; fix: drop --shard-index/--shard-count");
  if (!source.live()) return open_snapshot(source.snapshot);
  if (auto checked =
          check_roles(source.role_arns, source.external_id, "--role-arn", "--external-id");
      !checked)
    return checked.error();
  const std::vector<std::string> regions =
      source.regions.empty() ? std::vector<std::string>{""} : source.regions;
  const std::vector<std::string> roles =
      source.role_arns.empty() ? std::vector<std::string>{""} : source.role_arns;
  std::vector<OpenedRegistry> opened;
  for (const auto& role : roles) {
    for (const auto& region : regions) {
      AwsSessionOptions session_options;
      session_options.region = region;
      session_options.profile = source.profile;
      session_options.endpoint_url = source.endpoint_url;
      session_options.role_arn = role;
      session_options.external_id = role.empty() ? std::string() : source.external_id;
      source.timeouts.apply_to(session_options);
      const std::string registry_id =
          source.registry_id.empty() ? account_of_role(role) : source.registry_id;
      // Another shard's registry is not opened at all (its role is not even assumed) when its
      // account is known from the flags.
      if (source.shard && !registry_id.empty()) {
        auto resolved = resolve_session_region(session_options);
        if (!resolved) return std::move(resolved).take_error();
        if (!owns(*source.shard, registry_id, *resolved)) continue;
      }
      auto session = open_aws_session(session_options);
      if (!session.ok()) return std::move(session).take_error();
      std::shared_ptr<AwsJsonClient> client = make_ecr_json_client(*session);
      std::string account = role.empty() ? source.registry_id : account_of_role(role);
      std::string label = account.empty() ? session->region : account + "/" + session->region;
      OpenedRegistry entry{std::move(label),
                           make_ecr_registry(EcrTarget{session->region, registry_id,
                                                       caller_account(session->caller_identity)},
                                             std::move(client)),
                           account,
                           session->region,
                           session->calls,
                           caller_arn(session->caller_identity)};
      if (source.shard && registry_id.empty()) {
        // The base credentials' own registry: whose it is decides whose shard it is.
        auto identity = entry.registry->identity();
        if (!identity) {
          Error error = std::move(identity).take_error();
          error.message = "--shard-count: cannot tell which shard " + entry.label +
                          " belongs to (its account is unknown: " + error.message +
                          "); fix: pass --registry-id or --role-arn";
          return error;
        }
        if (!owns(*source.shard, identity->account, identity->region)) continue;
        entry.account = identity->account;
        entry.label = identity->account + "/" + identity->region;
      }
      opened.push_back(std::move(entry));
    }
  }
  return opened;
}

}  // namespace regsweep
