// regsweep policy: lifecycle policy commands, one table of sub-subcommands like the top level's.
// `validate` checks files offline; the ECR ones (get, put, diff, preview, delete) come with the ECR
// source.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace regsweep::cli {
namespace {

constexpr CommandEntry k_policy_commands[] = {
    {"validate",
     "Check lifecycle policy files exactly as ECR would (exit 0 all valid, 2 otherwise)",
     setup_policy_validate},
    {"put", "Install a policy on many repositories, regions and accounts (preview unless --yes)",
     setup_policy_put},
    {"diff", "Compare installed policies with a policy file (exit 3 when any differ)",
     setup_policy_diff},
    {"get", "Export installed policies, including which repositories have none", setup_policy_get},
    {"delete", "Remove installed policies (preview unless --yes)", setup_policy_delete},
    {"preview", "Plan every repository with the policy installed on it (same output as plan)",
     setup_policy_preview},
};

}  // namespace

void setup_policy(CLI::App& sub, RunFunction& run) {
  sub.require_subcommand(1);
  for (const auto& entry : k_policy_commands) {
    CLI::App* child = sub.add_subcommand(entry.name, entry.summary);
    entry.setup(*child, run);
  }
}

}  // namespace regsweep::cli
