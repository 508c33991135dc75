// The config file of `regsweep run --config regsweep.yaml`: targets (accounts as role ARNs,
// regions, repository globs and exclusions), each with a policy (file or inline) and a mode, plus
// run settings. The whole file, policies included, is validated before anything is contacted;
// every error reads "regsweep.yaml:12:5: targets[0].mode: problem; fix". See docs/config.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/concurrency.hpp"
#include "app/protections.hpp"
#include "aws/timeouts.hpp"
#include "policy/policy.hpp"
#include "util/result.hpp"

namespace regsweep {

enum class TargetMode { apply, install };

struct RunTarget {
  std::string name;
  std::vector<std::string> role_arns;             // empty: the base credentials' own account
  std::string external_id;                        // sent when assuming each of role_arns
  std::vector<std::string> regions;               // empty: the resolved default region
  std::vector<std::string> repositories = {"*"};  // globs
  std::vector<std::string> exclude;               // globs
  std::string policy_name;                        // for messages: the policies: entry, or "inline"
  std::string policy_text;  // exactly what would be sent to PutLifecyclePolicy
  Policy policy;
  TargetMode mode = TargetMode::apply;
  std::string profile;
  std::string endpoint_url;
  std::string registry_id;
  // apply targets: settings.protections with this target's own keys over them; file paths are
  // resolved against the config's folder.
  ProtectionInputs protections;
};

struct RunSettings {
  int concurrency = k_default_concurrency;
  std::string output;   // table | json | text; empty: not set (REGSWEEP_OUTPUT, else table)
  std::string journal;  // empty: the default state directory
  double price_per_gb_month = 0.10;
  ProtectionInputs protections;  // the defaults of every apply target
  // connect_timeout, read_timeout (seconds), max_requests_per_second; unset: the defaults
  AwsTimeouts timeouts;
};

struct RunConfig {
  RunSettings settings;
  std::vector<RunTarget> targets;
};

// `read_file` loads policy files named in the config (paths relative to the config's folder); it is
// passed in so tests need no disk.
using ReadFile = Result<std::string> (*)(const std::string& path);

Result<RunConfig> parse_run_config(std::string_view yaml_text, const std::string& config_path,
                                   ReadFile read_file);

}  // namespace regsweep
