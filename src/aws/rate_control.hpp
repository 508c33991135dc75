// Client-side rate control for AWS calls, shared by every worker and client of the process that
// talks to the same registry (aws/session.hpp builds the key: endpoint URL, region, and the role
// ARN or else the profile, i.e. the account and region whose quotas the calls spend).
//
// Adaptive (the AWS SDKs' "adaptive" retry mode, AWS_RETRY_MODE=adaptive, regsweep's default):
// nothing is limited until the service throttles. From an operation's first ThrottlingException
// on, its calls pass a token bucket whose rate follows CubicRate (aws/adaptive_rate.hpp): x0.7 on
// each throttle, growing back along the cubic curve without one, and never more than twice the
// measured send rate (SendRateMeter); never below k_min_rate. Each operation has its own bucket,
// as ECR throttles each API separately. One deliberate difference from botocore: a throttle
// answering a request that was sent before the last decrease does not decrease the rate again —
// it reports the old rate, already paid for — so the burst of in-flight requests that meets the
// first throttle costs one decrease, not one per worker.
//
// Cap (--max-requests-per-second, settings.max_requests_per_second; both retry modes): one more
// token bucket for all operations of the key together, `cap` tokens a second and at most one
// second's worth at once; a hard limit that adaptive control never raises.
//
// Standard mode without a cap uses no controller at all: today's behaviour, retries only.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "aws/adaptive_rate.hpp"
#include "aws/rate_limit.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace regsweep {

using SendTime = std::chrono::steady_clock::time_point;

// What a client does around each attempt of a call (aws/json_rpc.cpp, aws/rest_json.cpp).
class RequestPacer {
 public:
  virtual ~RequestPacer() = default;
  // Waits (on the clock) until an attempt of `operation` may be sent; returns the send time.
  virtual SendTime before_attempt(std::string_view operation) = 0;
  // The attempt sent at `sent` got an answer (or failed); `throttled` per is_rate_throttle.
  virtual void after_attempt(std::string_view operation, SendTime sent, bool throttled) = 0;
};

// A throttle that says "slower": ThrottlingException & co, HTTP 429. Not LimitExceededException,
// which in ECR is a quota (too many repositories...), not a rate.
bool is_rate_throttle(const Error& error);

class RateController {
 public:
  static constexpr double k_min_rate = 0.5;         // requests a second, per operation
  static constexpr double k_max_ahead_of_sent = 2;  // allowed rate <= 2 x measured rate

  // `max_per_second` 0: no cap.
  RateController(Clock& clock, double max_per_second);

  // Waits for the operation's adaptive bucket (when `adaptive` and the operation has been
  // throttled) and for the cap (when set); returns the send time.
  SendTime before_attempt(std::string_view operation, bool adaptive);
  // Adaptive mode only: measures the send rate and adjusts the operation's rate.
  void after_attempt(std::string_view operation, SendTime sent, bool throttled);

  // Lowers the cap to `max_per_second` when that is lower (a later session asking for less);
  // 0 changes nothing.
  void lower_cap(double max_per_second);

  struct OperationState {
    bool limited = false;  // throttled at least once: calls pass the bucket
    double rate = 0;       // the bucket's rate, requests a second
    double measured = 0;   // the measured send rate
    double w_max = 0;      // the rate at the last throttle
  };
  OperationState state(std::string_view operation) const;
  double cap() const;

 private:
  struct Operation {
    explicit Operation(double now, SendTime start)
        : cubic(now), meter(now), bucket(k_min_rate, 1, 0, start), last_decrease(start) {}
    bool limited = false;
    CubicRate cubic;
    SendRateMeter meter;
    TokenBucket bucket;
    SendTime last_decrease;
  };
  Operation& operation_locked(std::string_view name, SendTime now);
  double seconds(SendTime t) const;

  Clock& m_clock;
  const SendTime m_epoch;
  mutable std::mutex m_mutex;  // guards everything below, and the buckets
  std::map<std::string, Operation, std::less<>> m_operations;
  std::unique_ptr<TokenBucket> m_cap;
};

// A RequestPacer for clients: `adaptive` false (standard mode) applies the cap only.
std::shared_ptr<RequestPacer> make_pacer(std::shared_ptr<RateController> controller, bool adaptive);

// One RateController per key, created on first use. Thread-safe.
class RateControllers {
 public:
  explicit RateControllers(Clock& clock) : m_clock(clock) {}
  // The controller of `key`; `max_per_second` (0: none) caps it, the lowest cap asked for wins.
  std::shared_ptr<RateController> controller(const std::string& key, double max_per_second);
  Clock& clock() const { return m_clock; }

 private:
  Clock& m_clock;
  std::mutex m_mutex;
  std::map<std::string, std::shared_ptr<RateController>, std::less<>> m_controllers;
};

// The process's controllers, on the system clock: every session of the process shares them.
std::shared_ptr<RateControllers> process_rate_controllers();

}  // namespace regsweep
