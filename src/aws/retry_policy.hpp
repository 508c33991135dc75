// The one retry policy of every AWS client (JSON 1.1, REST-JSON, STS): AWS "standard" mode with the
// deviations docs/research/ecr-api.md §6.3 recommends.
//   - Throttled and transient errors (Error::retryable) are retried, up to max_attempts in all.
//   - The wait before retry n is full jitter: random[0,1) x min(base_delay x 2^(n-1), max_delay).
//   - A retry quota per client (quota_tokens; a retry costs 5, one after a timeout 10; a success
//     refunds what its own retry cost, else 1), so a struggling endpoint is not hammered by every
//     worker at once; when it runs out, errors are returned without retrying.
//   - LimitExceededException (a hard quota in ECR, not a rate) is retried once only.
// Time and chance come from the Clock, so tests neither sleep nor depend on chance.
// (Client-side rate control, the "adaptive" part, is aws/rate_control.hpp.)
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string_view>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace regsweep {

struct RetryOptions {
  // docs/research/ecr-api.md §6.3: more than the SDK's 3 for batch work. AWS_MAX_ATTEMPTS or the
  // profile's max_attempts replace it (aws/session.hpp).
  int max_attempts = 8;
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{20'000};
  int quota_tokens = 500;  // the retry budget shared by all calls of one client
};

// The wait before retry `retry` (1 for the first retry): uniform in [0, min(base x 2^(retry-1),
// max)), `random` being uniform in [0, 1).
std::chrono::milliseconds full_jitter_backoff(int retry, const RetryOptions& options,
                                              double random);

using RetryLog = std::function<void(std::string_view)>;

// The retry decisions of one client. Thread-safe; the quota is shared by all its calls.
class RetryPolicy {
 public:
  RetryPolicy(RetryOptions options, Clock& clock);

  // The attempts of one call:
  //   auto call = policy.start();
  //   while (true) { auto r = attempt(); if (r) { call.succeeded(); return r; }
  //                  if (!call.retry_after(error, what, log)) return error; }
  class Call {
   public:
    // After a failed attempt: true when the call should be attempted again (the back-off has been
    // slept then, and `log` told); false when not, with error.message saying which limit stopped
    // it (attempts, budget) when one did.
    bool retry_after(Error& error, std::string_view what, const RetryLog& log = {});
    // After the successful attempt: refunds the quota.
    void succeeded();
    int failed_attempts() const { return m_failed; }

   private:
    friend class RetryPolicy;
    explicit Call(RetryPolicy& policy) : m_policy(policy) {}
    RetryPolicy& m_policy;
    int m_failed = 0;
    int m_last_retry_cost = 0;
    int m_limit_exceeded = 0;
  };

  Call start() { return Call(*this); }
  const RetryOptions& options() const { return m_options; }

 private:
  bool acquire(int cost);
  void release(int amount);

  RetryOptions m_options;
  Clock& m_clock;
  std::mutex m_mutex;
  int m_tokens;
};

}  // namespace regsweep
