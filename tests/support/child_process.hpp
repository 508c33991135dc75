// A child process for tests (moto_server, the botocore SigV4 verifier): started with posix_spawnp,
// stdout optionally piped so the test can read the line where a server prints its port, stopped
// with SIGTERM when the object goes away. Only the process this object started is ever signalled.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace regsweep::testing {

class ChildProcess {
 public:
  // stdout is a pipe when capture_stdout, else /dev/null; stderr is /dev/null.
  ChildProcess(const std::vector<std::string>& argv, bool capture_stdout);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return m_pid > 0; }
  // The next line of the child's stdout (without '\n'); "" at EOF or after timeout_ms.
  std::string read_line(int timeout_ms);

 private:
  pid_t m_pid = -1;
  int m_stdout = -1;
  std::string m_buffer;
};

bool program_on_path(const std::string& program);
int free_tcp_port();  // a port that was free a moment ago, for servers that cannot take port 0

}  // namespace regsweep::testing
