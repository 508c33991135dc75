// regsweep ui: the local web UI (issue 14) — browse the registries, see each image's verdict and
// why, select and delete, edit and preview policies, read the journal — served on 127.0.0.1 only
// (web/ui_server.hpp) and built on the use cases the other commands run (web/workspace.hpp), with
// the source flags of `plan` and its protection flags. Prints the URL with the per-run token and
// serves until interrupted. Exit 0 when stopped by a signal; 2 for bad usage or input.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <thread>

#include "app/policy_file.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/number_flags.hpp"
#include "cli/protection_options.hpp"
#include "cli/source_options.hpp"
#include "util/subprocess.hpp"
#include "web/request_guard.hpp"
#include "web/ui_server.hpp"

namespace regsweep::cli {
namespace {

struct UiCommandOptions {
  RegistrySource source;
  ProtectionFlags protection;
  std::string policy_path;
  std::string now;
  std::vector<std::string> repository_globs;
  double price_per_gb_month = 0.10;
  double archive_price_per_gb_month = -1.0;
  int concurrency = 4;
  std::string journal;
  int port = 0;
  bool open = false;
};

std::string source_text(const RegistrySource& source, const std::vector<OpenedRegistry>& opened) {
  if (!source.live()) return "snapshot " + source.snapshot + " (read-only)";
  std::string text;
  for (const auto& o : opened) text += (text.empty() ? "" : ", ") + o.registry->describe();
  return text;
}

// Best effort: the URL is printed either way.
void open_browser(const std::string& url) {
  ProcessOptions options;
  options.argv = {"xdg-open", url};
  options.timeout = std::chrono::milliseconds(10'000);
  options.capture_stderr = true;
  auto outcome = run_process(options);
  if (!outcome.ok())
    std::cerr << "regsweep ui: --open: cannot start xdg-open; open the URL yourself\n";
}

int run_ui(const UiCommandOptions& options) {
  Clock& clock = system_clock();
  web::WorkspaceConfig config;
  auto now = now_option(options.now, clock);
  if (!now.ok()) return report_error("ui", now.error());
  config.plan.now = *now;
  config.plan.price_per_gb_month = options.price_per_gb_month;
  config.plan.archive_price_per_gb_month = options.archive_price_per_gb_month;
  config.plan.repository_globs = options.repository_globs;
  config.concurrency = options.concurrency;
  config.journal = options.journal;
  auto inputs = protection_inputs(options.protection);
  if (!inputs.ok()) return report_error("ui", inputs.error());
  auto protections = load_protections(*inputs, config.plan);
  if (!protections.ok()) return report_error("ui", protections.error());
  config.protections = *protections;
  if (!options.policy_path.empty()) {
    auto policy = load_policy_file("--policy", options.policy_path);
    if (!policy.ok()) return report_error("ui", policy.error());
    config.policy = std::move(policy).value();
  }
  auto opened = open_registries(options.source);
  if (!opened.ok()) return report_error("ui", opened.error());
  config.source = source_text(options.source, *opened);

  const std::string source = config.source;
  web::Workspace workspace(std::move(config), std::move(opened).value(), clock);
  web::UiServerOptions server;
  server.port = options.port;
  server.token = web::make_token();
  std::thread loader, opener;
  auto served = web::serve_ui(workspace, server, [&](int port) {
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/#token=" + server.token;
    std::cout << "regsweep ui: serving " << source << "\n";
    std::cout << "regsweep ui: open " << url << "\n"
              << "regsweep ui: the token in the URL is the key to this UI; Ctrl-C stops it\n"
              << std::flush;
    loader = std::thread([&workspace] { workspace.load(); });
    if (options.open) opener = std::thread(open_browser, url);
  });
  if (loader.joinable()) loader.join();
  if (opener.joinable()) opener.join();
  if (!served.ok()) return report_error("ui", served.error());
  return k_exit_ok;
}

}  // namespace

void setup_ui(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<UiCommandOptions>();
  add_source_options(sub, options->source, SnapshotFlag::offered);
  add_protection_options(sub, options->protection);
  sub.add_option("--policy", options->policy_path,
                 "Plan the views with this lifecycle policy (default: each repository's installed "
                 "policy)");
  sub.add_option("--now", options->now,
                 "Evaluate as of this time (ISO 8601 or epoch seconds); default: now. Deleting "
                 "always judges ages by the clock");
  sub.add_option("--repository-name", options->repository_globs,
                 "Only repositories matching this glob ('*', '?'); repeatable");
  sub.add_option("--price-per-gb-month", options->price_per_gb_month,
                 "Standard storage price in dollars per GB-month (default 0.10)")
      ->check(finite_at_least(0));
  sub.add_option("--archive-price-per-gb-month", options->archive_price_per_gb_month,
                 "Archive storage price (default: same as standard)")
      ->check(finite_at_least(0));
  sub.add_option("--concurrency", options->concurrency,
                 "Repositories listed and worked on at once per registry (default 4)")
      ->check(finite_between(1, 64));
  sub.add_option("--journal", options->journal,
                 "Journal file (default: $XDG_STATE_HOME/regsweep/journal.jsonl or "
                 "~/.local/state/regsweep/journal.jsonl)");
  sub.add_option("--port", options->port, "Port on 127.0.0.1 (default 0: a free one)")
      ->check(finite_between(0, 65535));
  sub.add_flag("--open", options->open, "Open the URL in the desktop's browser (xdg-open)");
  sub.callback([&run, options] { run = [options] { return run_ui(*options); }; });
}

}  // namespace regsweep::cli
