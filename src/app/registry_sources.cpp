#include "app/registry_sources.hpp"

#include "aws/session.hpp"
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
  return role_arn.substr(account_start, end - account_start);
}

Result<std::vector<OpenedRegistry>> open_registries(const RegistrySource& source) {
  if (!source.live()) return open_snapshot(source.snapshot);
  const std::vector<std::string> regions =
      source.regions.empty() ? std::vector<std::string>{""} : source.regions;
  const std::vector<std::string> roles =
      source.role_arns.empty() ? std::vector<std::string>{""} : source.role_arns;
  for (const auto& role : roles) {
    if (!role.empty() && account_of_role(role).empty()) {
      return make_error(ErrorCode::invalid_input,
                        "--role-arn: \"" + role +
                            "\" is not a role ARN; write arn:aws:iam::ACCOUNT_ID:role/NAME");
    }
  }
  std::vector<OpenedRegistry> opened;
  for (const auto& role : roles) {
    for (const auto& region : regions) {
      AwsSessionOptions session_options;
      session_options.region = region;
      session_options.profile = source.profile;
      session_options.endpoint_url = source.endpoint_url;
      session_options.role_arn = role;
      source.timeouts.apply_to(session_options);
      auto session = open_aws_session(session_options);
      if (!session.ok()) return std::move(session).take_error();
      std::shared_ptr<AwsJsonClient> client = make_ecr_json_client(*session);
      std::string account = role.empty() ? source.registry_id : account_of_role(role);
      std::string label = account.empty() ? session->region : account + "/" + session->region;
      const std::string registry_id =
          source.registry_id.empty() ? account_of_role(role) : source.registry_id;
      opened.push_back({std::move(label),
                        make_ecr_registry(EcrTarget{session->region, registry_id,
                                                    caller_account(session->caller_identity)},
                                          std::move(client)),
                        account, session->region, session->calls});
    }
  }
  return opened;
}

}  // namespace regsweep
