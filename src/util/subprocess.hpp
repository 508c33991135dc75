// The one way regsweep runs another program (in-use commands, credential_process, Kubernetes exec
// plugins). posix_spawn rather than fork: safe in a process with threads (the HTTP pool). The
// child gets stdin from /dev/null and its own process group, so a timeout kills everything it
// started. stdout is captured; stderr is passed through or captured as a short excerpt.
//
// Contract: run_process returns an Error only when the program could not be started (not_found
// when it does not exist, internal otherwise). Once started, how it ended is in ProcessOutcome;
// the caller decides what an exit status or a timeout means. Nothing here prints or logs, and no
// message quotes the output (it may hold a secret).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace regsweep {

struct ProcessOptions {
  // argv[0] is the program: searched in PATH when it has no '/', else used as given.
  std::vector<std::string> argv;
  // Set on top of this process' environment (an entry replaces a variable of the same name; of
  // two entries with one name, the last wins).
  std::vector<std::pair<std::string, std::string>> extra_env;
  // Past it the whole process group is killed. Zero: no limit.
  std::chrono::milliseconds timeout{60000};
  // More stdout than this kills the process group (ProcessEnd::output_too_large).
  std::size_t max_output = std::size_t{64} << 20;
  // false: stderr goes to ours; true: captured, its last stderr_excerpt_bytes kept.
  bool capture_stderr = false;
  std::size_t stderr_excerpt_bytes = 2048;
};

enum class ProcessEnd { exited, signaled, timed_out, output_too_large };

struct ProcessOutcome {
  ProcessEnd end = ProcessEnd::exited;
  int exit_status = -1;  // when exited
  int signal = 0;        // when signaled
  std::string output;    // stdout (cut at max_output)
  std::string stderr_excerpt;

  bool succeeded() const { return end == ProcessEnd::exited && exit_status == 0; }
};

Result<ProcessOutcome> run_process(const ProcessOptions& options);

// The excerpt on one line, at most `limit` bytes (the end kept: errors come last), for messages.
std::string one_line_excerpt(const std::string& text, std::size_t limit = 300);

}  // namespace regsweep
