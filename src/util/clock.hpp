// The one source of time and chance (ARCHITECTURE.md): the wall clock for plans and journal
// records, a steady clock for durations and rates, sleeping, and jitter. Everything that reads
// time or draws a random number takes a Clock&, so tests run without sleeping and without
// depending on today (tests/support/manual_clock.hpp). The pure core (policy/, plan/) takes `now`
// as a value instead and never sees a Clock.
#pragma once

#include <chrono>

#include "util/time.hpp"

namespace regsweep {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual EpochMillis now() = 0;  // wall time, milliseconds since the epoch
  virtual std::chrono::steady_clock::time_point steady() = 0;
  virtual void sleep_for(std::chrono::steady_clock::duration duration) = 0;
  virtual double random() = 0;  // uniform in [0, 1); thread-safe
};

// The real clock: system and steady time, std::this_thread::sleep_for, a seeded generator.
Clock& system_clock();

}  // namespace regsweep
