#include "app/merge_plans.hpp"

#include "util/input_file.hpp"

namespace regsweep {

Result<MergedPlanSummary> merge_plan_files(const std::vector<std::string>& paths,
                                           JsonWriter::Sink sink) {
  std::vector<std::string> texts;
  texts.reserve(paths.size());
  for (const auto& path : paths) {
    auto text = read_input_file("plan merge:", path, k_list_max_bytes);
    if (!text) return text.error();
    texts.push_back(std::move(*text));
  }
  std::vector<PlanText> plans;
  for (std::size_t i = 0; i < paths.size(); ++i) plans.push_back({paths[i], texts[i]});
  return merge_plan_documents(plans, std::move(sink));
}

}  // namespace regsweep
