// --in-use-command: runs a user's program and trusts only a clean answer (contract in source.hpp).
// posix_spawn rather than fork: safe in a process with threads (the HTTP pool), and the child gets
// its own process group so a timeout kills everything it started.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "inuse/source.hpp"

extern char** environ;

namespace regsweep {
namespace {

constexpr std::size_t k_max_output = 64u << 20;

class CommandSource final : public InUseSource {
 public:
  CommandSource(std::string command, std::chrono::milliseconds timeout)
      : m_command(std::move(command)), m_timeout(timeout) {}

  Result<InUseSet> collect() override {
    auto output = run();
    if (!output) return output.error();
    return parse_in_use_command_output(*output, m_command);
  }

 private:
  Error failure(ErrorCode code, const std::string& problem) const {
    return make_error(code, "in-use command '" + m_command + "': " + problem);
  }

  Result<std::string> run() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      return failure(ErrorCode::internal, std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    const char* argv[] = {"sh", "-c", m_command.c_str(), nullptr};
    pid_t pid = 0;
    const int spawned =
        ::posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(fds[1]);
    if (spawned != 0) {
      ::close(fds[0]);
      return failure(ErrorCode::internal,
                     std::string("cannot start /bin/sh: ") + std::strerror(spawned));
    }
    const auto deadline = std::chrono::steady_clock::now() + m_timeout;
    std::string output;
    std::string problem;
    char buffer[65536];
    while (problem.empty()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0) {
        problem = "timed out";
        break;
      }
      pollfd pfd{fds[0], POLLIN, 0};
      const int ready = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 1000)));
      if (ready < 0 && errno != EINTR) problem = std::string("poll: ") + std::strerror(errno);
      if (ready <= 0) continue;
      const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
      if (n == 0) break;  // EOF
      if (n < 0) {
        if (errno != EINTR) problem = std::string("read: ") + std::strerror(errno);
        continue;
      }
      output.append(buffer, static_cast<std::size_t>(n));
      if (output.size() > k_max_output) problem = "printed more than 64 MiB";
    }
    ::close(fds[0]);
    int status = 0;
    while (true) {
      if (!problem.empty()) ::kill(-pid, SIGKILL);
      const pid_t done = ::waitpid(pid, &status, problem.empty() ? WNOHANG : 0);
      if (done == pid) break;
      if (done < 0 && errno != EINTR)
        return failure(ErrorCode::internal, std::string("waitpid: ") + std::strerror(errno));
      if (problem.empty() && std::chrono::steady_clock::now() >= deadline) problem = "timed out";
      if (problem.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!problem.empty()) {
      const auto ms = std::to_string(m_timeout.count());
      return failure(ErrorCode::transient,
                     problem +
                         (problem == "timed out" ? " after " + ms + " ms (killed)" : " (killed)") +
                         "; nothing is deleted without a complete in-use set");
    }
    if (WIFSIGNALED(status)) {
      return failure(ErrorCode::internal, "killed by signal " + std::to_string(WTERMSIG(status)) +
                                              "; nothing is deleted without a complete in-use set");
    }
    if (WEXITSTATUS(status) != 0) {
      return failure(ErrorCode::internal, "exited with status " +
                                              std::to_string(WEXITSTATUS(status)) +
                                              "; nothing is deleted without a complete in-use set");
    }
    return output;
  }

  std::string m_command;
  std::chrono::milliseconds m_timeout;
};

}  // namespace

std::unique_ptr<InUseSource> make_command_source(std::string command,
                                                 std::chrono::milliseconds timeout) {
  return std::make_unique<CommandSource>(std::move(command), timeout);
}

}  // namespace regsweep
