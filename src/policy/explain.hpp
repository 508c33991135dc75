// Sentences a person understands for a verdict, e.g.
//   "expire: rule 2 keeps the 5 newest images tagged prod*; this is the 8th"
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/evaluate.hpp"

namespace regsweep {

std::string explain(const Verdict& verdict, const Policy& policy, EpochMillis now);

// explain() for a million verdicts: the same text, but each rule's summary is built once and the
// sentence is assembled in a buffer reused from call to call (no allocation per image). One per
// thread; `policy` must outlive it.
class Explainer {
 public:
  Explainer(const Policy& policy, EpochMillis now);
  // Valid until the next call.
  std::string_view operator()(const Verdict& verdict);

 private:
  const Rule* rule_of(std::optional<std::int64_t> priority) const;
  const std::string& summary(const Rule& rule);

  const Policy& m_policy;
  EpochMillis m_now;
  std::vector<std::optional<std::string>> m_summaries;  // by rule index
  std::string m_buf;
};

// "images tagged prod*", "untagged images", "all images", "archived images".
std::string describe_selection(const Rule& rule);

}  // namespace regsweep
