// The arithmetic of adaptive rate control (the AWS SDKs' "adaptive" retry mode), as plain values
// over time in seconds: no clock, no locks (aws/rate_control.hpp owns both).
//
// CubicRate: the send rate a client may use, following TCP CUBIC (RFC 8312). On a throttle the
// rate that was being sent becomes W_max and the new rate is beta x W_max (multiplicative
// decrease). Without throttles the rate grows back along
//     rate(t) = C x (t - K)^3 + W_max,   K = cbrt(W_max x (1 - beta) / C),
// t being the seconds since the last throttle: at t = 0 it is beta x W_max, it flattens out near
// W_max (where the server last said no), then probes beyond it ever faster.
//
// SendRateMeter: how fast the client really sends, in requests a second: responses counted over
// windows of about half a second, smoothed (new = 0.8 x window + 0.2 x old). The controller never
// lets the allowed rate run more than twice ahead of it.
#pragma once

namespace regsweep {

class CubicRate {
 public:
  static constexpr double k_beta = 0.7;   // multiplicative decrease
  static constexpr double k_scale = 0.4;  // C: how fast the curve climbs (per s^3)

  // Before any throttle W_max is 0 and the curve starts at `now`.
  explicit CubicRate(double now) : m_last_throttle(now) {}

  // The rate the curve allows at `now` (no throttle since the last one).
  double rate_at(double now) const;
  // A throttle at `now` while sending at `sending_rate`: returns the new, lower rate.
  double throttled(double sending_rate, double now);

  double w_max() const { return m_w_max; }

 private:
  double m_w_max = 0;
  double m_k = 0;
  double m_last_throttle;
};

class SendRateMeter {
 public:
  static constexpr double k_window = 0.5;     // seconds
  static constexpr double k_smoothing = 0.8;  // weight of the newest window

  explicit SendRateMeter(double now) : m_window_start(now) {}

  // Counts one response at `now`; returns the measured rate. Until the first window is complete,
  // the count so far over at least one window's length: an estimate that errs low, never a 0
  // that would make the first throttle collapse the rate to the minimum.
  double record(double now);
  double rate() const { return m_rate; }

 private:
  double m_rate = 0;
  double m_window_start;
  double m_count = 0;
  bool m_measured = false;
};

}  // namespace regsweep
