// Client-side rate limits for the ECR API. ECR publishes no TPS for DescribeImages,
// BatchDeleteImage and the other control-plane calls but throttles them all
// (docs/research/ecr-api.md §3.2), so regsweep paces itself: one token bucket per operation, shared
// by every worker thread, with the §3.2 starting points (about 5/s for describe/list/delete, 10/s
// for PutImage). Throttling that still happens is retried by AwsJsonClient; the limiter keeps it
// rare. Time is injected so tests run without sleeping.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "aws/json_rpc.hpp"

namespace regsweep {

struct RateLimit {
  double per_second = 5;  // refill rate
  double burst = 10;      // bucket size: calls allowed at once after a quiet spell
};

// docs/research/ecr-api.md §3: 5/s (burst 10) for the unpublished control-plane operations, scaled
// by `control_plane_per_second`; BatchGetImage and PutImage get their published quotas' share.
std::map<std::string, RateLimit, std::less<>> default_ecr_rate_limits(
    double control_plane_per_second = 5);

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Blocks until `operation` may be called once more. Thread-safe.
  virtual void acquire(std::string_view operation) = 0;
};

struct LimiterClock {
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::steady_clock::duration)> sleep_for;
  static LimiterClock steady();
};

// Token buckets per operation; operations without an entry use `fallback`. Callers reserve a token
// under the lock (the balance may go negative) and sleep outside it, so waiting threads are served
// in arrival order and the long-run rate never exceeds per_second.
class TokenBucketLimiter final : public RateLimiter {
 public:
  TokenBucketLimiter(std::map<std::string, RateLimit, std::less<>> limits, RateLimit fallback,
                     LimiterClock clock = LimiterClock::steady());
  void acquire(std::string_view operation) override;

 private:
  struct Bucket {
    RateLimit limit;
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
  };
  Bucket& bucket_for(std::string_view operation, std::chrono::steady_clock::time_point now);

  std::map<std::string, RateLimit, std::less<>> m_limits;
  RateLimit m_fallback;
  LimiterClock m_clock;
  std::mutex m_mutex;
  std::map<std::string, Bucket, std::less<>> m_buckets;
};

// An AwsJsonClient that asks `limiter` before every call of the wrapped client.
std::shared_ptr<AwsJsonClient> rate_limited(std::shared_ptr<AwsJsonClient> client,
                                            std::shared_ptr<RateLimiter> limiter);

}  // namespace regsweep
