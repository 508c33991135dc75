// Fuzzes the saved-plan reader (src/plan/saved_plan.hpp): any bytes must give a plan or an
// invalid_input error, never a crash; and a plan it accepts must turn into deletions against a
// listing built from itself without trouble, every saved image matching exactly once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "plan/saved_plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto plan = regsweep::parse_saved_plan(text, "fuzz.json");
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
    std::vector<regsweep::SavedPlanMismatch> mismatches;
    const auto still = regsweep::match_saved_repository(repo, live, mismatches);
    // Everything is live and unchanged: no mismatch, and no more matches than saved images.
    if (!mismatches.empty() || still.size() > repo.expiring.size()) std::abort();
  }
  return 0;
}
