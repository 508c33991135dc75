// One self-overwriting progress line on stderr ("listing 12/40 repositories"), shown only when
// stderr is a terminal, not --quiet, and the run has lasted more than a second (quick runs stay
// quiet). finish() erases it so the final report starts on a clean line. Thread-safe: worker
// threads may call update() concurrently.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

namespace regsweep::cli {

class ProgressLine {
 public:
  explicit ProgressLine(bool quiet);
  ~ProgressLine() { finish(); }
  void update(const std::string& text);
  void finish();

 private:
  bool m_enabled;
  bool m_shown = false;
  std::chrono::steady_clock::time_point m_start;
  std::mutex m_mutex;
};

}  // namespace regsweep::cli
