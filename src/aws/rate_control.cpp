#include "aws/rate_control.hpp"

#include <algorithm>

namespace regsweep {
namespace {

class ControllerPacer final : public RequestPacer {
 public:
  ControllerPacer(std::shared_ptr<RateController> controller, bool adaptive)
      : m_controller(std::move(controller)), m_adaptive(adaptive) {}
  SendTime before_attempt(std::string_view operation) override {
    return m_controller->before_attempt(operation, m_adaptive);
  }
  void after_attempt(std::string_view operation, SendTime sent, bool throttled) override {
    if (m_adaptive) m_controller->after_attempt(operation, sent, throttled);
  }

 private:
  std::shared_ptr<RateController> m_controller;
  bool m_adaptive;
};

double capacity_for(double rate) {
  return std::max(1.0, rate);  // one second's worth, and at least one whole token
}

}  // namespace

bool is_rate_throttle(const Error& error) {
  return error.code == ErrorCode::throttled && error.service_code != "LimitExceededException";
}

RateController::RateController(Clock& clock, double max_per_second)
    : m_clock(clock), m_epoch(clock.steady()) {
  lower_cap(max_per_second);
}

double RateController::seconds(SendTime t) const {
  return std::chrono::duration<double>(t - m_epoch).count();
}

RateController::Operation& RateController::operation_locked(std::string_view name, SendTime now) {
  auto it = m_operations.find(name);
  if (it == m_operations.end())
    it = m_operations.emplace(std::string(name), Operation(seconds(now), now)).first;
  return it->second;
}

SendTime RateController::before_attempt(std::string_view operation, bool adaptive) {
  while (adaptive) {
    TokenBucket::Duration wait{0};
    {
      std::lock_guard lock(m_mutex);
      const SendTime now = m_clock.steady();
      Operation& op = operation_locked(operation, now);
      if (!op.limited) break;  // no limit until the service first throttles this operation
      wait = op.bucket.take(now);
    }
    if (wait == TokenBucket::Duration::zero()) break;
    m_clock.sleep_for(wait);
  }
  TokenBucket* cap = nullptr;
  {
    std::lock_guard lock(m_mutex);
    cap = m_cap.get();  // once set, never replaced (lower_cap changes its rate)
  }
  if (cap != nullptr) take_token(*cap, m_mutex, m_clock);
  return m_clock.steady();
}

void RateController::after_attempt(std::string_view operation, SendTime sent, bool throttled) {
  std::lock_guard lock(m_mutex);
  const SendTime now = m_clock.steady();
  const double t = seconds(now);
  Operation& op = operation_locked(operation, now);
  const double measured = op.meter.record(t);
  double allowed = 0;
  if (!throttled) {
    allowed = op.cubic.rate_at(t);
  } else if (op.limited && sent < op.last_decrease) {
    return;  // sent at the rate before the last decrease: that one already answered for it
  } else {
    const double sending = op.limited ? std::min(measured, op.bucket.rate()) : measured;
    allowed = op.cubic.throttled(sending, t);
    op.limited = true;
    op.last_decrease = now;
  }
  const double rate = std::max(k_min_rate, std::min(allowed, k_max_ahead_of_sent * measured));
  op.bucket.set_rate(rate, capacity_for(rate), now);
}

void RateController::lower_cap(double max_per_second) {
  if (!(max_per_second > 0)) return;
  std::lock_guard lock(m_mutex);
  const SendTime now = m_clock.steady();
  if (!m_cap) {
    m_cap = std::make_unique<TokenBucket>(max_per_second, capacity_for(max_per_second),
                                          capacity_for(max_per_second), now);
  } else if (max_per_second < m_cap->rate()) {
    m_cap->set_rate(max_per_second, capacity_for(max_per_second), now);
  }
}

RateController::OperationState RateController::state(std::string_view operation) const {
  std::lock_guard lock(m_mutex);
  const auto it = m_operations.find(operation);
  if (it == m_operations.end()) return {};
  const Operation& op = it->second;
  return {op.limited, op.bucket.rate(), op.meter.rate(), op.cubic.w_max()};
}

double RateController::cap() const {
  std::lock_guard lock(m_mutex);
  return m_cap ? m_cap->rate() : 0;
}

std::shared_ptr<RequestPacer> make_pacer(std::shared_ptr<RateController> controller,
                                         bool adaptive) {
  return std::make_shared<ControllerPacer>(std::move(controller), adaptive);
}

std::shared_ptr<RateController> RateControllers::controller(const std::string& key,
                                                            double max_per_second) {
  std::lock_guard lock(m_mutex);
  auto it = m_controllers.find(key);
  if (it == m_controllers.end()) {
    return m_controllers.emplace(key, std::make_shared<RateController>(m_clock, max_per_second))
        .first->second;
  }
  it->second->lower_cap(max_per_second);
  return it->second;
}

std::shared_ptr<RateControllers> process_rate_controllers() {
  static const auto controllers = std::make_shared<RateControllers>(system_clock());
  return controllers;
}

}  // namespace regsweep
