// regsweep policy put | diff | delete | get: one lifecycle policy across many repositories,
// regions (--region, repeated) and accounts (--role-arn, repeated). put and delete preview unless
// --yes; diff is the comparison alone for CI (exit 3 when any repository differs).
//
// Exit codes: 0 done (or nothing differs); 1 a repository or registry failed; 2 bad usage or
// input (an invalid policy is never sent); 3 `diff` found differences.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/concurrency.hpp"
#include "app/policy_file.hpp"
#include "app/policy_fleet.hpp"
#include "app/registry_sources.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/number_flags.hpp"
#include "cli/policy_fleet_report.hpp"
#include "cli/source_options.hpp"

namespace regsweep::cli {
namespace {

constexpr int k_exit_differs = 3;

struct PolicyFleetOptions {
  RegistrySource source;
  std::string policy_path;
  std::vector<std::string> repository_globs;
  std::vector<std::string> exclude_globs;
  bool all = false;
  bool yes = false;
  int concurrency = k_default_concurrency;
  std::string output = "table";
  std::string out_path;  // get: -o DIR|FILE
};

void add_common(CLI::App& sub, PolicyFleetOptions& o, bool needs_yes) {
  add_source_options(sub, o.source, SnapshotFlag::absent);
  sub.add_option("--repository-name", o.repository_globs,
                 "Repository name or glob (* and ?), repeatable");
  sub.add_option("--exclude", o.exclude_globs, "Skip repositories matching this glob, repeatable");
  sub.add_flag("--all", o.all, "Every repository (instead of --repository-name)");
  sub.add_option("--concurrency", o.concurrency, "Repositories worked on at once")
      ->check(finite_between(1, 64));
  sub.add_option("--output", o.output, "table or json")->check(CLI::IsMember({"table", "json"}));
  if (needs_yes) sub.add_flag("--yes", o.yes, "Write the changes (without it: preview only)");
}

Result<FleetOptions> fleet_options(const PolicyFleetOptions& o, bool write) {
  if (o.all == !o.repository_globs.empty()) {
    return make_error(ErrorCode::invalid_input,
                      "name the repositories: --repository-name GLOB (repeatable) or --all");
  }
  FleetOptions options;
  if (!o.all) options.repositories.include = o.repository_globs;
  options.repositories.exclude = o.exclude_globs;
  options.write = write;
  options.concurrency = o.concurrency;
  return options;
}

std::vector<FleetTarget> as_targets(const std::vector<OpenedRegistry>& opened) {
  std::vector<FleetTarget> targets;
  for (const auto& o : opened) targets.push_back({o.label, o.registry.get()});
  return targets;
}

std::string_view change_word(const RepositoryPolicyResult& r, bool deleting) {
  if (deleting) return r.change == PolicyChange::unchanged ? "none" : "delete";
  return to_string(r.change);
}

}  // namespace

void print_policy_fleet_report(const FleetReport& report, bool json, bool deleting, bool wrote) {
  if (json) {
    nlohmann::json out;
    out["results"] = nlohmann::json::array();
    for (const auto& r : report.results) {
      out["results"].push_back(
          {{"target", r.target},
           {"repositoryName", r.repository},
           {"change", change_word(r, deleting)},
           {"outcome", to_string(r.outcome)},
           {"diff", r.diff},
           {"error", r.error.empty() ? nlohmann::json() : nlohmann::json(r.error)}});
    }
    out["listingErrors"] = report.listing_errors;
    out["appearedDuringRun"] = report.appeared_during_run;
    out["summary"] = {{"created", report.count(PolicyChange::create)},
                      {"updated", report.count(PolicyChange::update)},
                      {"unchanged", report.count(FleetOutcome::unchanged)},
                      {"failed", report.count(FleetOutcome::failed)},
                      {"written", wrote}};
    write_stdout(out.dump(2) + "\n");
    return;
  }
  std::string text;
  for (const auto& r : report.results) {
    text += r.target + "  " + r.repository + "  " + std::string(change_word(r, deleting)) + "  " +
            std::string(to_string(r.outcome)) + (r.error.empty() ? "" : ": " + r.error) + "\n";
    for (const auto& line : r.diff) text += "    " + line + "\n";
  }
  for (const auto& e : report.listing_errors) text += "could not list repositories of " + e + "\n";
  for (const auto& a : report.appeared_during_run) {
    text += "appeared during the run, not processed: " + a + " (run again to include it)\n";
  }
  text += "summary: " + std::to_string(report.results.size()) + " repositories: ";
  if (deleting) {
    text += std::to_string(report.count(PolicyChange::update)) + " with a policy, ";
  } else {
    text += std::to_string(report.count(PolicyChange::create)) + " create, " +
            std::to_string(report.count(PolicyChange::update)) + " update, ";
  }
  text += std::to_string(report.count(FleetOutcome::unchanged)) + " unchanged, " +
          std::to_string(report.count(FleetOutcome::failed)) + " failed";
  if (!wrote && report.count(FleetOutcome::would_change) > 0)
    text += "; preview only: run again with --yes to write";
  write_stdout(text + "\n");
}

namespace {

// put (write=--yes) and diff (never writes) share everything but the ending.
int run_put_or_diff(const PolicyFleetOptions& o, bool diff_only) {
  const char* name = diff_only ? "policy diff" : "policy put";
  auto policy = load_policy_file("--policy", o.policy_path);  // validated before any request
  if (!policy.ok()) return report_error(name, policy.error());
  auto options = fleet_options(o, !diff_only && o.yes);
  if (!options.ok()) return report_error(name, options.error());
  auto opened = open_registries(o.source);
  if (!opened.ok()) return report_error(name, opened.error());
  const auto report = put_policy_fleet(as_targets(*opened), policy->policy, policy->text, *options);
  print_policy_fleet_report(report, o.output == "json", false, options->write);
  if (report.any_failed()) return k_exit_failed;
  if (diff_only && report.count(FleetOutcome::would_change) > 0) return k_exit_differs;
  return k_exit_ok;
}

int run_delete(const PolicyFleetOptions& o) {
  auto options = fleet_options(o, o.yes);
  if (!options.ok()) return report_error("policy delete", options.error());
  auto opened = open_registries(o.source);
  if (!opened.ok()) return report_error("policy delete", opened.error());
  const auto report = delete_policy_fleet(as_targets(*opened), *options);
  print_policy_fleet_report(report, o.output == "json", true, o.yes);
  return report.any_failed() ? k_exit_failed : k_exit_ok;
}

std::string file_safe(std::string label) {
  for (char& c : label) {
    if (c == '/') c = '_';
  }
  return label;
}

// get: one JSON document on stdout or in FILE; with a directory, one policy file per repository
// (<dir>/<target>/<repository>.json) plus index.json listing every repository, with or without.
int run_get(const PolicyFleetOptions& o) {
  auto options = fleet_options(o, false);
  if (!options.ok()) return report_error("policy get", options.error());
  auto opened = open_registries(o.source);
  if (!opened.ok()) return report_error("policy get", opened.error());
  std::vector<std::string> listing_errors;
  const auto policies = get_policies_fleet(as_targets(*opened), *options, listing_errors);
  nlohmann::json index = nlohmann::json::array();
  bool failed = !listing_errors.empty();
  const bool to_dir = !o.out_path.empty() &&
                      (std::filesystem::is_directory(o.out_path) || o.out_path.back() == '/');
  for (const auto& p : policies) {
    nlohmann::json entry = {{"target", p.target}, {"repositoryName", p.repository}};
    if (!p.error.empty()) {
      entry["error"] = p.error;
      failed = true;
    } else if (p.text) {
      entry["lifecyclePolicyText"] = *p.text;
      if (to_dir) {
        const auto file =
            std::filesystem::path(o.out_path) / file_safe(p.target) / (p.repository + ".json");
        std::error_code ec;
        std::filesystem::create_directories(file.parent_path(), ec);
        std::ofstream out(file);
        out << *p.text << "\n";
        if (!out)
          return report_error("policy get",
                              make_error(ErrorCode::internal, "cannot write " + file.string()));
        entry["file"] = file.string();
      }
    } else {
      entry["lifecyclePolicyText"] = nullptr;  // the repository has no policy
    }
    index.push_back(std::move(entry));
  }
  nlohmann::json document = {{"policies", index}, {"listingErrors", listing_errors}};
  if (o.out_path.empty()) {
    write_stdout(document.dump(2) + "\n");
  } else {
    const auto file = to_dir ? std::filesystem::path(o.out_path) / "index.json"
                             : std::filesystem::path(o.out_path);
    std::ofstream out(file);
    out << document.dump(2) << "\n";
    if (!out)
      return report_error("policy get",
                          make_error(ErrorCode::internal, "cannot write " + file.string()));
    std::size_t without = 0;
    for (const auto& p : policies) without += p.error.empty() && !p.text;
    std::cerr << "policy get: " << policies.size() << " repositories (" << without
              << " without a policy) -> " << file.string() << "\n";
  }
  for (const auto& e : listing_errors)
    std::cerr << "policy get: could not list repositories of " << e << "\n";
  return failed ? k_exit_failed : k_exit_ok;
}

}  // namespace

void setup_policy_put(CLI::App& sub, RunFunction& run) {
  auto o = std::make_shared<PolicyFleetOptions>();
  sub.add_option("--policy", o->policy_path, "Lifecycle policy JSON file ('-' for stdin)")
      ->required();
  add_common(sub, *o, true);
  sub.callback([&run, o] { run = [o] { return run_put_or_diff(*o, false); }; });
}

void setup_policy_diff(CLI::App& sub, RunFunction& run) {
  auto o = std::make_shared<PolicyFleetOptions>();
  sub.add_option("--policy", o->policy_path, "Lifecycle policy JSON file ('-' for stdin)")
      ->required();
  add_common(sub, *o, false);
  sub.callback([&run, o] { run = [o] { return run_put_or_diff(*o, true); }; });
}

void setup_policy_delete(CLI::App& sub, RunFunction& run) {
  auto o = std::make_shared<PolicyFleetOptions>();
  add_common(sub, *o, true);
  sub.callback([&run, o] { run = [o] { return run_delete(*o); }; });
}

void setup_policy_get(CLI::App& sub, RunFunction& run) {
  auto o = std::make_shared<PolicyFleetOptions>();
  add_common(sub, *o, false);
  sub.add_option("-o,--out", o->out_path,
                 "Write to FILE, or one file per repository into DIR (existing or ending in /)");
  sub.callback([&run, o] { run = [o] { return run_get(*o); }; });
}

}  // namespace regsweep::cli
