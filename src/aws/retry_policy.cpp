#include "aws/retry_policy.hpp"

#include "http/http_trace.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace regsweep {
namespace {

constexpr int k_retry_cost = 5;
constexpr int k_timeout_retry_cost = 10;
constexpr int k_success_refund = 1;

}  // namespace

std::chrono::milliseconds full_jitter_backoff(int retry, const RetryOptions& options,
                                              double random) {
  const double cap = static_cast<double>(options.max_delay.count());
  // 2^(retry-1) stops mattering long before it could overflow a double.
  const double exponential =
      static_cast<double>(options.base_delay.count()) * std::pow(2.0, std::clamp(retry - 1, 0, 60));
  const double r = std::clamp(random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(r * std::min(cap, exponential)));
}

RetryPolicy::RetryPolicy(RetryOptions options, Clock& clock)
    : m_options(options), m_clock(clock), m_tokens(options.quota_tokens) {}

bool RetryPolicy::acquire(int cost) {
  std::lock_guard lock(m_mutex);
  if (m_tokens < cost) return false;
  m_tokens -= cost;
  return true;
}

void RetryPolicy::release(int amount) {
  std::lock_guard lock(m_mutex);
  m_tokens = std::min(m_options.quota_tokens, m_tokens + amount);
}

bool RetryPolicy::Call::retry_after(Error& error, std::string_view what, const RetryLog& log) {
  ++m_failed;
  if (!error.retryable()) return false;
  if (error.service_code == "LimitExceededException" && ++m_limit_exceeded > 1)
    return false;  // in ECR a quota, not a rate: one more try is all it deserves
  if (m_failed >= m_policy.m_options.max_attempts) {
    error.message += "; gave up after " + std::to_string(m_failed) + " attempts";
    return false;
  }
  const int cost = error.service_code == "timeout" ? k_timeout_retry_cost : k_retry_cost;
  if (!m_policy.acquire(cost)) {
    error.message += "; not retried: the client's retry budget is exhausted";
    return false;
  }
  m_last_retry_cost = cost;
  const auto delay = full_jitter_backoff(m_failed, m_policy.m_options, m_policy.m_clock.random());
  const std::string line = std::string(what) + ": attempt " + std::to_string(m_failed) +
                           " failed (" + error.message + "); retrying in " +
                           std::to_string(delay.count()) + " ms";
  if (log) {
    log(line);
  } else {
    http_trace(HttpTraceLevel::calls, "aws: " + line);  // -v shows every retry
  }
  m_policy.m_clock.sleep_for(delay);
  return true;
}

void RetryPolicy::Call::succeeded() {
  m_policy.release(m_last_retry_cost > 0 ? m_last_retry_cost : k_success_refund);
}

}  // namespace regsweep
