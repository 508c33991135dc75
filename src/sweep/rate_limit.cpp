#include "sweep/rate_limit.hpp"

#include <algorithm>
#include <thread>
#include <utility>

namespace regsweep {
namespace {

class RateLimitedClient final : public AwsJsonClient {
 public:
  RateLimitedClient(std::shared_ptr<AwsJsonClient> inner, std::shared_ptr<RateLimiter> limiter)
      : m_inner(std::move(inner)), m_limiter(std::move(limiter)) {}

  Result<std::string> call(std::string_view operation, const std::string& request_json) override {
    m_limiter->acquire(operation);
    return m_inner->call(operation, request_json);
  }

 private:
  std::shared_ptr<AwsJsonClient> m_inner;
  std::shared_ptr<RateLimiter> m_limiter;
};

}  // namespace

std::map<std::string, RateLimit, std::less<>> default_ecr_rate_limits(
    double control_plane_per_second) {
  const RateLimit control{control_plane_per_second, 2 * control_plane_per_second};
  return {
      {"DescribeRepositories", control},
      {"DescribeImages", control},
      {"ListImages", control},
      {"BatchDeleteImage", control},
      {"GetLifecyclePolicy", control},
      {"PutLifecyclePolicy", control},
      {"DeleteLifecyclePolicy", control},
      // Published quotas (§3.1): BatchGetImage 2,000/s, PutImage 10/s. Stay well below both, since
      // other tools (CI pushes, pulls) share the account's budget.
      {"BatchGetImage", RateLimit{100, 100}},
      {"PutImage", RateLimit{5, 5}},
  };
}

LimiterClock LimiterClock::steady() {
  return LimiterClock{
      [] { return std::chrono::steady_clock::now(); },
      [](std::chrono::steady_clock::duration d) { std::this_thread::sleep_for(d); }};
}

TokenBucketLimiter::TokenBucketLimiter(std::map<std::string, RateLimit, std::less<>> limits,
                                       RateLimit fallback, LimiterClock clock)
    : m_limits(std::move(limits)), m_fallback(fallback), m_clock(std::move(clock)) {}

TokenBucketLimiter::Bucket& TokenBucketLimiter::bucket_for(
    std::string_view operation, std::chrono::steady_clock::time_point now) {
  auto it = m_buckets.find(operation);
  if (it == m_buckets.end()) {
    const auto limit = m_limits.find(operation);
    Bucket bucket{limit == m_limits.end() ? m_fallback : limit->second, 0, now};
    bucket.tokens = bucket.limit.burst;  // a fresh run may start with a burst
    it = m_buckets.emplace(std::string(operation), bucket).first;
  }
  return it->second;
}

void TokenBucketLimiter::acquire(std::string_view operation) {
  std::chrono::steady_clock::duration wait{0};
  {
    std::lock_guard lock(m_mutex);
    const auto now = m_clock.now();
    Bucket& bucket = bucket_for(operation, now);
    if (bucket.limit.per_second <= 0) return;  // unlimited
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(bucket.limit.burst, bucket.tokens + elapsed * bucket.limit.per_second);
    bucket.updated = now;
    bucket.tokens -= 1;  // reserve ours; a negative balance is the queue ahead of the next caller
    if (bucket.tokens < 0) {
      wait = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(-bucket.tokens / bucket.limit.per_second));
    }
  }
  if (wait.count() > 0) m_clock.sleep_for(wait);
}

std::shared_ptr<AwsJsonClient> rate_limited(std::shared_ptr<AwsJsonClient> client,
                                            std::shared_ptr<RateLimiter> limiter) {
  return std::make_shared<RateLimitedClient>(std::move(client), std::move(limiter));
}

}  // namespace regsweep
