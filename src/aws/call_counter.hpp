// How many requests a session sent, per operation ("DescribeImages": 400): every attempt counts,
// retries included, because that is what quotas and the bill see. The JSON and REST clients of a
// session count into its counter; reports show the totals (apiCalls). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace regsweep {

using ApiCalls = std::map<std::string, std::uint64_t, std::less<>>;

class CallCounter {
 public:
  void add(std::string_view operation) {
    std::lock_guard lock(m_mutex);
    const auto it = m_counts.find(operation);
    if (it == m_counts.end()) {
      m_counts.emplace(std::string(operation), 1);
    } else {
      ++it->second;
    }
  }
  ApiCalls counts() const {
    std::lock_guard lock(m_mutex);
    return m_counts;
  }

 private:
  mutable std::mutex m_mutex;
  ApiCalls m_counts;
};

// Adds `from` into `into`.
inline void add_calls(ApiCalls& into, const ApiCalls& from) {
  for (const auto& [operation, count] : from) into[operation] += count;
}

inline std::uint64_t total_calls(const ApiCalls& calls) {
  std::uint64_t total = 0;
  for (const auto& entry : calls) total += entry.second;
  return total;
}

}  // namespace regsweep
