// Fuzzes the saved-plan reader (src/cli/saved_plan.hpp): any bytes must give a plan or an
// invalid_input error, never a crash; and a plan it accepts must turn into deletions against a
// listing built from itself without trouble, every saved image matching exactly once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "cli/saved_plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto plan = regsweep::cli::parse_saved_plan(text, "fuzz.json");
  if (!plan.ok()) {
    if (plan.error().code != regsweep::ErrorCode::invalid_input) std::abort();
    return 0;
  }
  for (const auto& repo : plan->repositories) {
    std::vector<regsweep::ImageRecord> live;
    std::set<std::string> seen;  // a digest listed twice is one image (the first entry wins)
    for (const auto& image : repo.expiring) {
      if (!seen.insert(image.digest).second) continue;
      regsweep::ImageRecord record;
      record.digest = image.digest;
      record.tags = image.tags;
      live.push_back(record);
    }
    std::vector<regsweep::cli::SavedPlanMismatch> mismatches;
    const auto work = regsweep::cli::deletions_from_saved_plan(repo, live, mismatches);
    // Everything is live and unchanged: no mismatch, and no more items than saved images.
    if (!mismatches.empty() || work.items.size() > repo.expiring.size()) std::abort();
  }
  return 0;
}
