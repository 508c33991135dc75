// regsweep journal show: prints the deletion journal (docs/journal.md), oldest first, as a table
// or as JSON. Lines that are not records (a write torn by a crash) are reported on stderr and
// skipped; they never hide the records around them. An intent with no result (the run was killed
// between the two, or is still running) shows as "interrupted": the registry alone knows whether
// that image went; the next apply/delete of that repository settles it.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/table.hpp"
#include "journal/journal.hpp"
#include "journal/state_dir.hpp"
#include "util/clock.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct JournalShowOptions {
  std::string journal;
  std::string since;
  std::string output;  // --output; empty: REGSWEEP_OUTPUT, else table
  std::size_t max_rows = 0;
};

// "2024-05-01T00:00:00Z" / epoch seconds, or a duration back from now ("24h", "7d").
Result<EpochMillis> parse_since(const std::string& text, EpochMillis now) {
  if (auto duration = parse_duration(text)) return now - *duration;
  if (auto time = parse_timestamp(text)) return *time;
  return make_error(
      ErrorCode::invalid_input,
      "--since: '" + text + "' is neither a time nor a duration; write e.g. 2024-05-01 or 24h");
}

std::string short_digest(const std::string& digest) {
  return digest.starts_with("sha256:") && digest.size() > 19 ? digest.substr(0, 19) : digest;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out.empty() ? "-" : out;
}

using OpenSet = std::set<const JournalRecord*>;

std::string outcome_text(const JournalRecord& r, const OpenSet& open) {
  if (r.outcome) return std::string(to_string(*r.outcome));
  return open.count(&r) ? "interrupted" : "-";
}

std::string render_table(const std::vector<const JournalRecord*>& records, const OpenSet& open,
                         std::size_t max_rows) {
  Table table({{"TIME"},
               {"KIND"},
               {"ACTION"},
               {"OUTCOME"},
               {"REPOSITORY"},
               {"DIGEST"},
               {"TAGS"},
               {"RULE", Align::right},
               {"SIZE", Align::right},
               {"REASON"}});
  for (const auto* r : records) {
    if (max_rows != 0 && table.rows() >= max_rows) break;
    table.add({format_iso8601(r->timestamp), std::string(to_string(r->kind)),
               std::string(to_string(r->action)), outcome_text(*r, open), r->repository,
               short_digest(r->digest), join(r->tags),
               r->rule_priority ? std::to_string(*r->rule_priority) : "-",
               r->size_bytes ? format_bytes(*r->size_bytes) : "-",
               r->error_code.empty() ? r->reason : r->error_code + ": " + r->reason});
  }
  return table.render() + more_rows_line(table.rows(), records.size(), "");
}

std::string render_text(const std::vector<const JournalRecord*>& records, const OpenSet& open) {
  std::string out;
  for (const auto* r : records) {
    std::string tags;
    for (const auto& t : r->tags) tags += (tags.empty() ? "" : ",") + t;
    out += text_record({"RECORD", format_iso8601(r->timestamp), to_string(r->kind),
                        r->outcome ? to_string(*r->outcome) : (open.count(r) ? "interrupted" : ""),
                        r->registry, r->region, r->repository, r->digest, tags,
                        r->rule_priority ? std::to_string(*r->rule_priority) : "",
                        r->size_bytes ? std::to_string(*r->size_bytes) : "", r->error_code,
                        r->reason, r->run_id, to_string(r->action)});
  }
  return out;
}

std::string render_json(const std::vector<const JournalRecord*>& records,
                        const JournalContents& contents, const OpenSet& open) {
  nlohmann::json doc;
  doc["schemaVersion"] = 2;
  doc["records"] = nlohmann::json::array();
  std::size_t interrupted = 0;
  for (const auto* r : records) {
    auto record = nlohmann::json::parse(to_journal_line(*r));
    // The file leaves out the action of a deletion (older readers know only those); shown, every
    // record says what it was.
    record["action"] = to_string(r->action);
    if (open.count(r)) {
      record["interrupted"] = true;
      ++interrupted;
    }
    doc["records"].push_back(std::move(record));
  }
  doc["interrupted"] = interrupted;
  doc["badLines"] = nlohmann::json::array();
  for (const auto& bad : contents.bad_lines) {
    doc["badLines"].push_back(
        {{"line", bad.line}, {"problem", bad.problem}, {"tornTail", bad.torn_tail}});
  }
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

int run_journal_show(const JournalShowOptions& options) {
  const std::string command = "journal show";
  std::string path = options.journal;
  if (path.empty()) {
    auto found = default_journal_path(process_env());
    if (!found) return report_error(command, found.error());
    path = *found;
  }
  EpochMillis since = 0;
  if (!options.since.empty()) {
    auto parsed = parse_since(options.since, system_clock().now());
    if (!parsed) return report_error(command, parsed.error());
    since = *parsed;
  }
  auto output = resolve_output(options.output);
  if (!output.ok()) return report_error(command, output.error());
  // A directory, device or FIFO is refused (exit 2), never shown as an empty journal.
  auto contents = read_journal_file(path, options.journal.empty() ? "journal" : "--journal");
  if (!contents) {
    if (contents.error().code != ErrorCode::not_found)
      return report_error(command, contents.error());
    std::cerr << "regsweep journal show: no journal at " << path
              << " (nothing has been deleted with it)\n";
    contents = JournalContents{};
  }
  for (const auto& bad : contents->bad_lines) {
    std::cerr << "regsweep journal show: warning: " << path << ":" << bad.line << ": "
              << (bad.torn_tail ? "torn last line (a write cut short by a crash): "
                                : "not a record: ")
              << bad.problem << '\n';
  }
  std::vector<const JournalRecord*> shown;
  for (const auto& record : contents->records) {
    if (record.timestamp >= since) shown.push_back(&record);
  }
  OpenSet open;
  for (const std::size_t i : open_intents(contents->records)) open.insert(&contents->records[i]);
  std::size_t open_shown = 0;
  for (const auto* r : shown) open_shown += open.count(r);
  if (open_shown > 0) {
    std::cerr << "regsweep journal show: " << counted(open_shown, "intent has", "intents have")
              << " no result (interrupted, or a run still working): the next "
                 "apply/delete of their repository settles them\n";
  }
  const std::string text = *output == OutputFormat::json ? render_json(shown, *contents, open)
                           : *output == OutputFormat::text
                               ? render_text(shown, open)
                               : render_table(shown, open, options.max_rows);
  if (!write_stdout(text))
    return report_error(command, make_error(ErrorCode::internal, "cannot write to stdout"));
  return k_exit_ok;
}

void setup_journal_show(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<JournalShowOptions>();
  sub.add_option("--journal", options->journal,
                 "Journal file (default: $XDG_STATE_HOME/regsweep/journal.jsonl or "
                 "~/.local/state/regsweep/journal.jsonl)");
  sub.add_option("--since", options->since,
                 "Only records at or after this time, or this long ago (24h, 7d)");
  add_output_option(sub, options->output);
  add_max_rows_option(sub, options->max_rows, "records");
  sub.callback([&run, options] { run = [options] { return run_journal_show(*options); }; });
}

constexpr CommandEntry k_journal_commands[] = {
    {"show", "Print the journal of deletions (what, why, by which rule, the result)",
     setup_journal_show},
    {"restore", "Put deleted images back from the manifests the journal kept (PutImage)",
     setup_journal_restore},
};

}  // namespace

void setup_journal(CLI::App& sub, RunFunction& run) {
  sub.require_subcommand(1);
  for (const auto& entry : k_journal_commands) {
    CLI::App* child = sub.add_subcommand(entry.name, entry.summary);
    entry.setup(*child, run);
  }
}

}  // namespace regsweep::cli
