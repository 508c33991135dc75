// Fuzzes `plan merge` (src/plan/plan_merge.hpp): the input is split at each form feed into plan
// documents; any bytes must give a merged document or an invalid_input error, never a crash; and a
// merged document must be one that `apply --plan` reads (parse_saved_plan) with as many
// repositories as the inputs had.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan_merge.hpp"
#include "plan/saved_plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<regsweep::PlanText> plans;
  std::size_t start = 0;
  while (start <= text.size() && plans.size() < 8) {
    const auto end = std::min(text.find('\f', start), text.size());
    plans.push_back({"plan-" + std::to_string(plans.size()), text.substr(start, end - start)});
    start = end + 1;
  }
  std::string merged;
  auto status = regsweep::merge_plan_documents(plans, [&](std::string_view c) { merged += c; });
  if (!status.ok()) {
    if (status.error().code != regsweep::ErrorCode::invalid_input || !merged.empty()) std::abort();
    return 0;
  }
  std::size_t repositories = 0;
  for (const auto& plan : plans) {
    auto saved = regsweep::parse_saved_plan(plan.text, plan.name);
    if (saved.ok()) repositories += saved->repositories.size();
  }
  auto reread = regsweep::parse_saved_plan(merged, "merged.json");
  // Inputs the saved-plan reader accepts merge into a document it accepts too.
  bool all_readable = true;
  for (const auto& plan : plans)
    all_readable = all_readable && regsweep::parse_saved_plan(plan.text, plan.name).ok();
  if (all_readable && (!reread.ok() || reread->repositories.size() != repositories)) std::abort();
  return 0;
}
