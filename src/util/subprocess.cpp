// run_process (see subprocess.hpp): spawn, read stdout (and stderr) until both close or the
// deadline passes, then reap; on a problem the whole process group is killed first.
#include "util/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

extern char** environ;

namespace regsweep {
namespace {

using Clock = std::chrono::steady_clock;

// environ with extra_env on top, as NAME=value strings.
std::vector<std::string> child_environment(
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> out;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view text(*entry);
    const auto name = text.substr(0, text.find('='));
    const bool replaced = std::any_of(extra.begin(), extra.end(),
                                      [&](const auto& pair) { return pair.first == name; });
    if (!replaced) out.emplace_back(text);
  }
  // A name given twice in `extra`: the last value wins (as in Go's os/exec, which kubectl uses).
  const std::size_t first_extra = out.size();
  for (const auto& pair : extra) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const std::string prefix = pair.first + "=";
    const std::string entry = prefix + pair.second;
    const auto same =
        std::find_if(out.begin() + static_cast<std::ptrdiff_t>(first_extra), out.end(),
                     [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
    if (same != out.end())
      *same = entry;
    else
      out.push_back(entry);
  }
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Milliseconds left before `deadline`, or nullopt when there is none.
std::optional<long long> left_ms(const std::optional<Clock::time_point>& deadline) {
  if (!deadline) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
}

}  // namespace

Result<ProcessOutcome> run_process(const ProcessOptions& options) {
  if (options.argv.empty() || options.argv[0].empty())
    return make_error(ErrorCode::invalid_input, "no program to run");
  const std::string& program = options.argv[0];
  int out_fds[2];
  int err_fds[2] = {-1, -1};
  if (::pipe2(out_fds, O_CLOEXEC) != 0)
    return make_error(ErrorCode::internal, std::string("pipe: ") + std::strerror(errno));
  if (options.capture_stderr && ::pipe2(err_fds, O_CLOEXEC) != 0) {
    const int saved = errno;
    ::close(out_fds[0]);
    ::close(out_fds[1]);
    return make_error(ErrorCode::internal, std::string("pipe: ") + std::strerror(saved));
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fds[1], STDOUT_FILENO);
  if (options.capture_stderr) posix_spawn_file_actions_adddup2(&actions, err_fds[1], STDERR_FILENO);
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<std::string> args = options.argv;
  std::vector<std::string> env = child_environment(options.extra_env);
  auto argv = pointers(args);
  auto envp = pointers(env);
  pid_t pid = 0;
  // posix_spawnp searches PATH only for names without '/', like execvp.
  const int spawned =
      ::posix_spawnp(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out_fds[1]);
  if (err_fds[1] >= 0) ::close(err_fds[1]);
  if (spawned != 0) {
    ::close(out_fds[0]);
    if (err_fds[0] >= 0) ::close(err_fds[0]);
    return make_error(spawned == ENOENT ? ErrorCode::not_found : ErrorCode::internal,
                      "cannot start '" + program + "': " + std::strerror(spawned));
  }

  std::optional<Clock::time_point> deadline;
  if (options.timeout.count() > 0) deadline = Clock::now() + options.timeout;
  ProcessOutcome outcome;
  std::string errors;
  std::optional<ProcessEnd> problem;
  std::string io_failure;
  std::vector<pollfd> open = {{out_fds[0], POLLIN, 0}};
  if (err_fds[0] >= 0) open.push_back({err_fds[0], POLLIN, 0});
  char buffer[65536];
  while (!open.empty() && !problem && io_failure.empty()) {
    const auto left = left_ms(deadline);
    if (left && *left <= 0) {
      problem = ProcessEnd::timed_out;
      break;
    }
    const int wait = static_cast<int>(left ? std::min<long long>(*left, 1000) : 1000);
    const int ready = ::poll(open.data(), open.size(), wait);
    if (ready < 0 && errno != EINTR) io_failure = std::string("poll: ") + std::strerror(errno);
    if (ready <= 0) continue;
    for (std::size_t i = 0; i < open.size();) {
      if (open[i].revents == 0) {
        ++i;
        continue;
      }
      const ssize_t n = ::read(open[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) {
        ++i;
        continue;
      }
      if (n < 0) io_failure = std::string("read: ") + std::strerror(errno);
      if (n <= 0) {  // EOF or error: this stream is done
        ::close(open[i].fd);
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      if (open[i].fd == out_fds[0]) {
        outcome.output.append(buffer, static_cast<std::size_t>(n));
        if (outcome.output.size() > options.max_output) {
          outcome.output.resize(options.max_output);
          problem = ProcessEnd::output_too_large;
        }
      } else {
        errors.append(buffer, static_cast<std::size_t>(n));
        if (errors.size() > 2 * options.stderr_excerpt_bytes)
          errors.erase(0, errors.size() - options.stderr_excerpt_bytes);
      }
      ++i;
    }
  }
  for (const auto& entry : open) ::close(entry.fd);
  int status = 0;
  while (true) {
    const bool kill_group = problem || !io_failure.empty();
    if (kill_group) ::kill(-pid, SIGKILL);
    const pid_t done = ::waitpid(pid, &status, kill_group ? 0 : WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR)
      return make_error(ErrorCode::internal, std::string("waitpid: ") + std::strerror(errno));
    const auto left = left_ms(deadline);
    if (!problem && left && *left <= 0) problem = ProcessEnd::timed_out;
    if (!problem) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!io_failure.empty())
    return make_error(ErrorCode::internal, "'" + program + "': " + io_failure + " (killed)");
  if (errors.size() > options.stderr_excerpt_bytes)
    errors.erase(0, errors.size() - options.stderr_excerpt_bytes);
  outcome.stderr_excerpt = std::move(errors);
  if (problem) {
    outcome.end = *problem;
  } else if (WIFSIGNALED(status)) {
    outcome.end = ProcessEnd::signaled;
    outcome.signal = WTERMSIG(status);
  } else {
    outcome.end = ProcessEnd::exited;
    outcome.exit_status = WEXITSTATUS(status);
  }
  return outcome;
}

std::string one_line_excerpt(const std::string& text, std::size_t limit) {
  std::string line;
  for (const char c : text) {
    const bool space = c == '\n' || c == '\r' || c == '\t';
    if (space && (line.empty() || line.back() == ' ')) continue;
    line += space ? ' ' : c;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  if (line.size() > limit) line = "..." + line.substr(line.size() - limit);
  return line;
}

}  // namespace regsweep
