#include "app/scan_in_use.hpp"

#include <memory>

#include "app/registry_sources.hpp"
#include "aws/endpoint.hpp"
#include "aws/rest_json.hpp"
#include "aws/session.hpp"
#include "inuse/in_use_file.hpp"
#include "inuse/kubernetes_sources.hpp"
#include "inuse/source.hpp"

namespace regsweep {
namespace {

struct ServiceSession {
  AwsSession session;
  AwsServiceEndpoint endpoint;
  std::string label;  // "ACCOUNT/REGION" with a role, else the region: names the source
};

Result<ServiceSession> open_service(const InUseScanRequest& request, const std::string& role,
                                    const std::string& region, const std::string& service) {
  AwsSessionOptions session_options;
  session_options.region = region;
  session_options.profile = request.profile;
  session_options.endpoint_url = request.endpoint_url;
  session_options.role_arn = role;
  session_options.external_id = role.empty() ? std::string() : request.external_id;
  request.timeouts.apply_to(session_options);
  auto session = open_aws_session(session_options);
  if (!session) return session.error();
  AwsServiceEndpoint endpoint;
  endpoint.service = service;
  endpoint.region = session->region;
  endpoint.url = !request.endpoint_url.empty() ? request.endpoint_url
                                               : "https://" + service + "." + session->region +
                                                     "." + dns_suffix(session->region);
  std::string label =
      role.empty() ? session->region : account_of_role(role) + "/" + session->region;
  return ServiceSession{std::move(*session), std::move(endpoint), std::move(label)};
}

Result<std::unique_ptr<InUseSource>> open_ecs(const InUseScanRequest& request,
                                              const std::string& role, const std::string& region) {
  auto opened = open_service(request, role, region, "ecs");
  if (!opened) return opened.error();
  opened->endpoint.target_prefix = "AmazonEC2ContainerServiceV20141113";
  // From the session: paced by its rate control, retried by its retry mode.
  std::shared_ptr<AwsJsonClient> client =
      make_session_json_client(opened->session, opened->endpoint);
  return make_ecs_source(std::move(client), EcsScanOptions{opened->label, request.ecs_revisions});
}

Result<std::unique_ptr<InUseSource>> open_lambda(const InUseScanRequest& request,
                                                 const std::string& role,
                                                 const std::string& region) {
  auto opened = open_service(request, role, region, "lambda");
  if (!opened) return opened.error();
  std::shared_ptr<AwsRestClient> client =
      make_session_rest_client(opened->session, opened->endpoint);
  return make_lambda_source(std::move(client), opened->label);
}

}  // namespace

Result<InUseSet> scan_in_use(const InUseScanRequest& request) {
  if (request.ecs_revisions < 0)
    return make_error(ErrorCode::invalid_input, "--ecs-revisions: must be 0 or more");
  std::vector<std::unique_ptr<InUseSource>> sources;
  for (const auto& path : request.kubernetes_files)
    sources.push_back(make_kubernetes_file_source(path));
  for (const auto& path : request.keep_files) sources.push_back(make_keep_file_source(path));
  for (const auto& command : request.commands)
    sources.push_back(make_command_source(command, request.command_timeout));
  for (const auto& path : request.kubeconfigs) {
    auto api = open_kubeconfig_source("--kubeconfig", path, request.kube_context);
    if (!api) return api.error();
    sources.push_back(std::move(*api));
  }
  if (request.in_cluster) {
    auto api = open_in_cluster_source();
    if (!api) return api.error();
    sources.push_back(std::move(*api));
  }
  if (request.lambda || request.ecs) {
    if (auto checked =
            check_roles(request.role_arns, request.external_id, "--role-arn", "--external-id");
        !checked)
      return checked.error();
  } else if (!request.role_arns.empty() || !request.regions.empty() ||
             !request.external_id.empty()) {
    return make_error(ErrorCode::invalid_input,
                      "--region, --role-arn and --external-id: they choose where --ecs and "
                      "--lambda scan; fix: add --ecs and/or --lambda, or drop them");
  }
  const auto or_default = [](const std::vector<std::string>& list) {
    return list.empty() ? std::vector<std::string>{""} : list;
  };
  for (const auto& role : or_default(request.role_arns)) {
    for (const auto& region : or_default(request.regions)) {
      if (request.lambda) {
        auto lambda = open_lambda(request, role, region);
        if (!lambda) return lambda.error();
        sources.push_back(std::move(*lambda));
      }
      if (request.ecs) {
        auto ecs = open_ecs(request, role, region);
        if (!ecs) return ecs.error();
        sources.push_back(std::move(*ecs));
      }
    }
  }
  if (sources.empty() && request.saved_sets.empty()) {
    return make_error(ErrorCode::invalid_input,
                      "no source; give --kubernetes-json, --kubeconfig, --in-cluster, --keep-file, "
                      "--in-use-command, --ecs, --lambda or --in-use");
  }
  InUseSet merged;
  for (const auto& path : request.saved_sets) {
    auto set = read_in_use_files("--in-use", path, &parse_in_use_json);
    if (!set) return set.error();
    merge_in_use(merged, *set);
  }
  for (auto& source : sources) {
    auto set = source->collect();
    if (!set) return set.error();
    merge_in_use(merged, *set);
  }
  return merged;
}

}  // namespace regsweep
