// Counter table (counters.hpp).
#include "counters.hpp"

namespace ecr_emulator {

void Counters::add(std::string_view operation, Kind kind) {
  std::size_t slot = k_names.size() - 2;  // "(unknown)"
  for (std::size_t i = 0; i < k_names.size(); ++i)
    if (k_names[i] == operation) slot = i;
  m_counts[slot][kind].fetch_add(1, std::memory_order_relaxed);
}

Json Counters::describe() const {
  static constexpr const char* k_kind_names[] = {"calls", "errors", "throttled", "server_errors",
                                                 "dropped"};
  Json ops = Json::object();
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < k_names.size(); ++i) {
    std::uint64_t calls_here = m_counts[i][calls].load();
    if (calls_here == 0) continue;
    total += calls_here;
    Json entry = Json::object();
    for (int k = 0; k < k_kinds; ++k) entry[k_kind_names[k]] = m_counts[i][k].load();
    ops[std::string(k_names[i])] = entry;
  }
  return Json{{"operations", ops}, {"total", total}};
}

void Counters::reset() {
  for (auto& row : m_counts)
    for (auto& count : row) count.store(0);
}

}  // namespace ecr_emulator
