#include "app/journal_view.hpp"

#include <set>

#include "journal/journal.hpp"

namespace regsweep {

Result<JournalView> read_journal_view(const std::string& path, const GetEnv& env) {
  JournalView view;
  view.path = path;
  if (view.path.empty()) {
    auto found = default_journal_path(env);
    if (!found) return found.error();
    view.path = *found;
  }
  auto contents = read_journal_file(view.path, path.empty() ? "journal" : "--journal");
  if (!contents) {
    if (contents.error().code == ErrorCode::not_found) return view;
    return contents.error();
  }
  view.exists = true;
  view.bad_lines = contents->bad_lines.size();
  std::set<std::size_t> open;
  for (const std::size_t i : open_intents(contents->records)) open.insert(i);
  view.entries.reserve(contents->records.size());
  for (std::size_t i = 0; i < contents->records.size(); ++i) {
    JournalRecord& r = contents->records[i];
    JournalEntry e;
    e.kind = std::string(to_string(r.kind));
    e.action = std::string(to_string(r.action));
    e.run_id = std::move(r.run_id);
    e.timestamp = r.timestamp;
    e.registry = std::move(r.registry);
    e.region = std::move(r.region);
    e.repository = std::move(r.repository);
    e.digest = std::move(r.digest);
    e.tags = std::move(r.tags);
    e.size_bytes = r.size_bytes;
    e.rule_priority = r.rule_priority;
    e.reason = std::move(r.reason);
    e.outcome = r.outcome ? std::string(to_string(*r.outcome)) : "";
    e.error_code = std::move(r.error_code);
    e.interrupted = open.count(i) > 0;
    view.entries.push_back(std::move(e));
  }
  return view;
}

}  // namespace regsweep
