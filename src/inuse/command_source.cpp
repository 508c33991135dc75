// --in-use-command: runs a user's program and trusts only a clean answer (contract in source.hpp).
// The program runs through run_process (util/subprocess.hpp): `/bin/sh -c`, stdin from /dev/null,
// stderr passed through, its own process group so a timeout kills everything it started.
#include "inuse/source.hpp"
#include "util/subprocess.hpp"

namespace regsweep {
namespace {

constexpr std::size_t k_max_output = std::size_t{64} << 20;

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
    ProcessOptions options;
    options.argv = {"/bin/sh", "-c", m_command};
    options.timeout = m_timeout;
    options.max_output = k_max_output;
    auto outcome = run_process(options);
    if (!outcome) return failure(ErrorCode::internal, outcome.error().message);
    const std::string closed = "; nothing is deleted without a complete in-use set";
    switch (outcome->end) {
      case ProcessEnd::timed_out:
        return failure(
            ErrorCode::transient,
            "timed out after " + std::to_string(m_timeout.count()) + " ms (killed)" + closed);
      case ProcessEnd::output_too_large:
        return failure(ErrorCode::transient, "printed more than 64 MiB (killed)" + closed);
      case ProcessEnd::signaled:
        return failure(ErrorCode::internal,
                       "killed by signal " + std::to_string(outcome->signal) + closed);
      case ProcessEnd::exited:
        break;
    }
    if (outcome->exit_status != 0) {
      return failure(ErrorCode::internal,
                     "exited with status " + std::to_string(outcome->exit_status) + closed);
    }
    return std::move(outcome->output);
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
