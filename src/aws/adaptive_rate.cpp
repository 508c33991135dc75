#include "aws/adaptive_rate.hpp"

#include <algorithm>
#include <cmath>

namespace regsweep {

double CubicRate::rate_at(double now) const {
  const double t = now - m_last_throttle;
  return k_scale * std::pow(t - m_k, 3.0) + m_w_max;
}

double CubicRate::throttled(double sending_rate, double now) {
  m_w_max = std::max(0.0, sending_rate);
  m_k = std::cbrt(m_w_max * (1.0 - k_beta) / k_scale);
  m_last_throttle = now;
  return m_w_max * k_beta;
}

double SendRateMeter::record(double now) {
  m_count += 1;
  const double elapsed = now - m_window_start;
  if (elapsed >= k_window) {
    const double window_rate = m_count / elapsed;
    m_rate = m_measured ? k_smoothing * window_rate + (1.0 - k_smoothing) * m_rate : window_rate;
    m_measured = true;
    m_count = 0;
    m_window_start = now;
    return m_rate;
  }
  if (!m_measured) return m_count / k_window;
  return m_rate;
}

}  // namespace regsweep
