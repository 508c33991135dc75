// Which intents have no result yet (journal.hpp: open_intents). A run appends an item's intent,
// calls the registry, then appends its result; an intent still open when the run is over means the
// run was killed in between, and only the registry can say whether the image went.
#include <algorithm>
#include <map>
#include <tuple>

#include "journal/journal.hpp"

namespace regsweep {
namespace {

// Tags are part of the key: removing two tags of one image makes two intents with one digest.
using IntentKey = std::tuple<JournalAction, std::string, std::string, std::string, std::string,
                             std::string, std::vector<std::string>>;

IntentKey key_of(const JournalRecord& r) {
  return {r.action, r.run_id, r.registry, r.region, r.repository, r.digest, r.tags};
}

}  // namespace

std::vector<std::size_t> open_intents(const std::vector<JournalRecord>& records) {
  // Per key, the intents not yet matched by a result, oldest first (a key can repeat when one
  // run tries the same image twice).
  std::map<IntentKey, std::vector<std::size_t>> pending;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto& waiting = pending[key_of(records[i])];
    if (records[i].kind == JournalKind::intent) {
      waiting.push_back(i);
    } else if (!waiting.empty()) {
      waiting.erase(waiting.begin());
    }
  }
  std::vector<std::size_t> open;
  for (const auto& [key, indexes] : pending)
    open.insert(open.end(), indexes.begin(), indexes.end());
  std::sort(open.begin(), open.end());
  return open;
}

}  // namespace regsweep
