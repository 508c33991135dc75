#include "cli/ecr_fleet.hpp"

#include <CLI/CLI.hpp>

#include "aws/session.hpp"
#include "registry/ecr/ecr_registry.hpp"

namespace regsweep::cli {

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

std::function<Result<std::string>()> caller_account(
    std::function<Result<CallerIdentity>()> caller_identity) {
  return [caller_identity = std::move(caller_identity)]() -> Result<std::string> {
    auto identity = caller_identity();
    if (!identity) return std::move(identity).take_error();
    return identity->account;
  };
}

void add_ecr_fleet_options(CLI::App& sub, EcrFleetOptions& options) {
  sub.add_option("--region", options.regions, "AWS region (repeat for several)")->group("ECR");
  sub.add_option("--role-arn", options.role_arns,
                 "Assume this role from the base credentials (repeat for several accounts)")
      ->group("ECR");
  sub.add_option("--profile", options.profile, "AWS profile for the base credentials")
      ->group("ECR");
  sub.add_option("--endpoint-url", options.endpoint_url,
                 "ECR endpoint (an emulator, a VPC endpoint)")
      ->group("ECR");
  sub.add_option("--registry-id", options.registry_id,
                 "Registry account id (default: the caller's)")
      ->group("ECR");
  add_aws_timeout_options(sub, options.timeouts, "ECR");
}

Result<std::vector<OpenedRegistry>> open_ecr_fleet(const EcrFleetOptions& options) {
  const std::vector<std::string> regions =
      options.regions.empty() ? std::vector<std::string>{""} : options.regions;
  const std::vector<std::string> roles =
      options.role_arns.empty() ? std::vector<std::string>{""} : options.role_arns;
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
      session_options.profile = options.profile;
      session_options.endpoint_url = options.endpoint_url;
      session_options.role_arn = role;
      options.timeouts.apply_to(session_options);
      auto session = open_aws_session(session_options);
      if (!session.ok()) return std::move(session).take_error();
      std::shared_ptr<AwsJsonClient> client = make_ecr_json_client(*session);
      std::string account = role.empty() ? options.registry_id : account_of_role(role);
      std::string label = account.empty() ? session->region : account + "/" + session->region;
      const std::string registry_id =
          options.registry_id.empty() ? account_of_role(role) : options.registry_id;
      opened.push_back({std::move(label),
                        make_ecr_registry(EcrTarget{session->region, registry_id,
                                                    caller_account(session->caller_identity)},
                                          std::move(client)),
                        account, session->region});
    }
  }
  return opened;
}

}  // namespace regsweep::cli
