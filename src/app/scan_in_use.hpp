// The in-use scan use case (`regsweep inuse scan`): collect the images in use from Kubernetes
// workload JSON, keep files, in-use commands, ECS and Lambda (one account and region), a
// Kubernetes API server through a kubeconfig or the pod's own service account, and earlier saved
// sets, merged into one set (docs/inuse.md). Any source that fails fails the scan: a partial
// in-use set must never be saved as if complete.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "aws/timeouts.hpp"
#include "inuse/in_use.hpp"
#include "util/result.hpp"

namespace regsweep {

struct InUseScanRequest {
  std::vector<std::string> kubernetes_files;
  std::vector<std::string> keep_files;
  std::vector<std::string> commands;
  std::chrono::milliseconds command_timeout{60'000};
  std::vector<std::string> saved_sets;
  std::vector<std::string> kubeconfigs;
  std::string kube_context;
  bool in_cluster = false;
  bool ecs = false;
  bool lambda = false;
  int ecs_revisions = 5;
  // ECS and Lambda: every (role, region) pair, each with its own session — the role assumed from
  // the base credentials (with external_id), or the base credentials when role_arns is empty, in
  // each region (none: the one resolved like the AWS CLI does). Their endpoint is endpoint_url
  // when given (an emulator, moto), else <service>.<region>.<partition suffix>.
  std::vector<std::string> regions;
  std::vector<std::string> role_arns;
  std::string external_id;
  std::string profile;
  std::string endpoint_url;
  AwsTimeouts timeouts;
};

// invalid_input when no source is given or an input is bad; the first failing source's error.
Result<InUseSet> scan_in_use(const InUseScanRequest& request);

}  // namespace regsweep
