#include "util/clock.hpp"

#include <mutex>
#include <random>
#include <thread>

namespace regsweep {
namespace {

class SystemClock final : public Clock {
 public:
  EpochMillis now() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  std::chrono::steady_clock::time_point steady() override {
    return std::chrono::steady_clock::now();
  }
  void sleep_for(std::chrono::steady_clock::duration duration) override {
    std::this_thread::sleep_for(duration);
  }
  double random() override {
    std::lock_guard lock(m_mutex);
    return std::uniform_real_distribution<double>(0.0, 1.0)(m_generator);
  }

 private:
  std::mutex m_mutex;
  std::mt19937_64 m_generator{std::random_device{}()};
};

}  // namespace

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

}  // namespace regsweep
