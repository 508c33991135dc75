#include "cli/progress_line.hpp"

#include <unistd.h>

#include <cstdio>

namespace regsweep::cli {

ProgressLine::ProgressLine(bool quiet)
    : m_enabled(!quiet && ::isatty(STDERR_FILENO) == 1),
      m_start(std::chrono::steady_clock::now()) {}

void ProgressLine::update(const std::string& text) {
  if (!m_enabled) return;
  std::lock_guard lock(m_mutex);
  if (std::chrono::steady_clock::now() - m_start < std::chrono::seconds(1)) return;
  std::fprintf(stderr, "\r%s\x1b[K", text.c_str());
  std::fflush(stderr);
  m_shown = true;
}

void ProgressLine::finish() {
  std::lock_guard lock(m_mutex);
  if (!m_shown) return;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
  m_shown = false;
}

}  // namespace regsweep::cli
