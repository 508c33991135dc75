// Fault injection, configured per operation (or "*" for every operation) at run time through the
// admin endpoint. For each ECR call decide() draws, from one generator seeded by --fault-seed (so a
// sequential client sees the same faults on every run), what happens to it:
//   latency_ms + uniform[0, jitter_ms)   delay before the call is handled
//   throttle_tps                         token bucket (capacity = tps, refill tps/s) ->
//   ThrottlingException throttle_probability                 chance of ThrottlingException
//   error_5xx_rate                       chance of 500 ServerException
//   drop_connection_rate                 chance that the call IS applied but the connection is
//   closed
//                                        before a complete response (tests retry idempotency)
//   slow_response_ms                     the response body is trickled out over this many ms
// Throttling and 5xx answers are given before the operation runs, so nothing is applied.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "api.hpp"

namespace ecr_emulator {

struct FaultSpec {
  double latency_ms = 0;
  double jitter_ms = 0;
  double throttle_tps = 0;
  double throttle_probability = 0;
  double error_5xx_rate = 0;
  double drop_connection_rate = 0;
  double slow_response_ms = 0;
};

struct FaultDecision {
  int delay_ms = 0;
  bool throttle = false;
  bool error_5xx = false;
  bool drop_connection = false;
  int slow_response_ms = 0;
};

class Faults {
 public:
  explicit Faults(std::uint64_t seed) : m_rng(seed) {}

  // Replaces the whole configuration: {"seed"?: N, "operations": {"<Op>|*": FaultSpec}}.
  // Returns an error message for a malformed document (nothing changes then).
  std::optional<std::string> configure(const Json& config);
  Json describe() const;
  FaultDecision decide(const std::string& operation);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t last_ns = 0;
  };
  mutable std::mutex m_mutex;
  std::atomic<bool> m_enabled{false};
  std::mt19937_64 m_rng;
  std::map<std::string, FaultSpec> m_specs;
  std::map<std::string, Bucket> m_buckets;
};

}  // namespace ecr_emulator
