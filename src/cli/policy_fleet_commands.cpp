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
#include "cli/output.hpp"
#include "cli/policy_fleet_report.hpp"
#include "cli/source_options.hpp"
#include "cli/table.hpp"
#include "util/size.hpp"

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
  std::string output;  // --output; empty: REGSWEEP_OUTPUT, else table
  std::size_t max_rows = 0;
  std::string out_path;  // get: --output-file DIR|FILE
};

void add_common(CLI::App& sub, PolicyFleetOptions& o, bool needs_yes) {
  add_source_options(sub, o.source, SnapshotFlag::absent);
  sub.add_option("--repository-name", o.repository_globs,
                 "Repository name or glob (* and ?), repeatable");
  sub.add_option("--exclude", o.exclude_globs, "Skip repositories matching this glob, repeatable");
  sub.add_flag("--all", o.all, "Every repository (instead of --repository-name)");
  sub.add_option("--concurrency", o.concurrency, "Repositories worked on at once")
      ->check(finite_between(1, 64));
  add_output_option(sub, o.output);
  add_max_rows_option(sub, o.max_rows, "repositories");
  if (needs_yes) sub.add_flag("--yes,-y", o.yes, "Write the changes (without it: preview only)");
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

void print_policy_fleet_report(const FleetReport& report, const PolicyReportOptions& options) {
  const bool deleting = options.deleting;
  if (options.format == OutputFormat::json) {
    nlohmann::json out;
    out["schemaVersion"] = 1;
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
                      {"written", options.wrote}};
    write_stdout(out.dump(2) + "\n");
    return;
  }
  if (options.format == OutputFormat::text) {
    std::string text;
    for (const auto& r : report.results) {
      text += text_record({"RESULT", r.target, r.repository, change_word(r, deleting),
                           to_string(r.outcome), r.error});
      for (const auto& line : r.diff) text += text_record({"DIFF", r.target, r.repository, line});
    }
    for (const auto& e : report.listing_errors) text += text_record({"LISTINGERROR", e});
    for (const auto& a : report.appeared_during_run) text += text_record({"APPEARED", a});
    text += text_record({"SUMMARY", std::to_string(report.count(PolicyChange::create)),
                         std::to_string(report.count(PolicyChange::update)),
                         std::to_string(report.count(FleetOutcome::unchanged)),
                         std::to_string(report.count(FleetOutcome::failed)),
                         options.wrote ? "written" : "preview"});
    write_stdout(text);
    return;
  }
  std::string text;
  Table table({{"TARGET"}, {"REPOSITORY"}, {"CHANGE"}, {"OUTCOME"}});
  std::size_t shown = 0;
  for (const auto& r : report.results) {
    if (options.max_rows != 0 && shown >= options.max_rows) break;
    ++shown;
    table.add({r.target, r.repository, std::string(change_word(r, deleting)),
               std::string(to_string(r.outcome)) + (r.error.empty() ? "" : ": " + r.error)});
  }
  // The rule diffs follow the table, per repository, so the table stays aligned.
  text += table.render();
  text += more_rows_line(shown, report.results.size(), "");
  std::size_t diffs = 0;
  for (const auto& r : report.results) {
    if (r.diff.empty()) continue;
    if (options.max_rows != 0 && diffs >= options.max_rows) break;
    ++diffs;
    text += r.target + "  " + r.repository + ":\n";
    for (const auto& line : r.diff) text += "    " + line + "\n";
  }
  for (const auto& e : report.listing_errors) text += "could not list repositories of " + e + "\n";
  for (const auto& a : report.appeared_during_run) {
    text += "appeared during the run, not processed: " + a + " (run again to include it)\n";
  }
  text += "summary: " + counted(report.results.size(), "repository", "repositories") + ": ";
  if (deleting) {
    text += thousands(report.count(PolicyChange::update)) + " with a policy, ";
  } else {
    text += thousands(report.count(PolicyChange::create)) + " create, " +
            thousands(report.count(PolicyChange::update)) + " update, ";
  }
  text += thousands(report.count(FleetOutcome::unchanged)) + " unchanged, " +
          thousands(report.count(FleetOutcome::failed)) + " failed";
  if (!options.wrote && report.count(FleetOutcome::would_change) > 0)
    text += "; preview only: " + options.write_hint;
  write_stdout(text + "\n");
}

namespace {

// put (write=--yes) and diff (never writes) share everything but the ending.
int run_put_or_diff(const PolicyFleetOptions& o, bool diff_only) {
  const char* name = diff_only ? "policy diff" : "policy put";
  auto format = resolve_output(o.output);
  if (!format.ok()) return report_error(name, format.error());
  auto policy = load_policy_file("--policy", o.policy_path);  // validated before any request
  if (!policy.ok()) return report_error(name, policy.error());
  auto options = fleet_options(o, !diff_only && o.yes);
  if (!options.ok()) return report_error(name, options.error());
  auto opened = open_registries(o.source);
  if (!opened.ok()) return report_error(name, opened.error());
  const auto report = put_policy_fleet(as_targets(*opened), policy->policy, policy->text, *options);
  PolicyReportOptions shown{*format, false, options->write};
  if (diff_only) shown.write_hint = "`regsweep policy put` with --yes writes these changes";
  shown.max_rows = o.max_rows;
  print_policy_fleet_report(report, shown);
  if (report.any_failed()) return k_exit_failed;
  if (diff_only && report.count(FleetOutcome::would_change) > 0) return k_exit_differs;
  return k_exit_ok;
}

int run_delete(const PolicyFleetOptions& o) {
  auto format = resolve_output(o.output);
  if (!format.ok()) return report_error("policy delete", format.error());
  auto options = fleet_options(o, o.yes);
  if (!options.ok()) return report_error("policy delete", options.error());
  auto opened = open_registries(o.source);
  if (!opened.ok()) return report_error("policy delete", opened.error());
  const auto report = delete_policy_fleet(as_targets(*opened), *options);
  PolicyReportOptions shown{*format, true, o.yes};
  shown.max_rows = o.max_rows;
  print_policy_fleet_report(report, shown);
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
// The rules of a policy text, for the table; "?" when it does not parse.
std::string rule_count(const std::string& text) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object() || !doc.contains("rules") || !doc["rules"].is_array()) return "?";
  return std::to_string(doc["rules"].size());
}

void print_policies(const std::vector<InstalledPolicy>& policies,
                    const std::vector<std::string>& listing_errors, OutputFormat format,
                    std::size_t max_rows) {
  std::string text;
  if (format == OutputFormat::text) {
    for (const auto& p : policies) {
      text += text_record({"POLICY", p.target, p.repository,
                           p.error.empty() ? (p.text ? "policy" : "none") : "error",
                           p.error.empty() ? p.text.value_or("") : p.error});
    }
    for (const auto& e : listing_errors) text += text_record({"LISTINGERROR", e});
    write_stdout(text);
    return;
  }
  Table table({{"TARGET"}, {"REPOSITORY"}, {"RULES", Align::right}, {"POLICY"}});
  for (const auto& p : policies) {
    if (max_rows != 0 && table.rows() >= max_rows) break;
    if (!p.error.empty()) {
      table.add({p.target, p.repository, "-", "error: " + p.error});
    } else if (p.text) {
      table.add({p.target, p.repository, rule_count(*p.text), "installed"});
    } else {
      table.add({p.target, p.repository, "-", "none"});
    }
  }
  text += table.render() + more_rows_line(table.rows(), policies.size(), "");
  std::size_t without = 0;
  for (const auto& p : policies) without += p.error.empty() && !p.text;
  text += counted(policies.size(), "repository", "repositories") + ", " + thousands(without) +
          " without a policy (--output json gives the policy texts)\n";
  write_stdout(text);
}

int run_get(const PolicyFleetOptions& o) {
  auto format = resolve_output(o.output);
  if (!format.ok()) return report_error("policy get", format.error());
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
  nlohmann::json document = {
      {"schemaVersion", 1}, {"policies", index}, {"listingErrors", listing_errors}};
  if (o.out_path.empty()) {
    if (*format == OutputFormat::json) {
      write_stdout(document.dump(2) + "\n");
    } else {
      print_policies(policies, listing_errors, *format, o.max_rows);
    }
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
    std::cerr << "regsweep policy get: " << counted(policies.size(), "repository", "repositories")
              << " (" << thousands(without) << " without a policy) -> " << file.string() << "\n";
  }
  for (const auto& e : listing_errors)
    std::cerr << "regsweep policy get: could not list repositories of " << e << "\n";
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
  sub.add_option("--output-file", o->out_path,
                 "Write the JSON document to FILE, or one policy file per repository into DIR "
                 "(existing or ending in /) with index.json");
  sub.callback([&run, o] { run = [o] { return run_get(*o); }; });
}

}  // namespace regsweep::cli
