// The web UI's HTTP server (issue 14): the embedded page and the JSON API over a Workspace, on
// 127.0.0.1 only, guarded by web/request_guard.hpp (Host, Origin, the per-run token). It listens
// until SIGINT or SIGTERM.
#pragma once

#include <functional>
#include <string>

#include "util/result.hpp"
#include "web/workspace.hpp"

namespace regsweep::web {

struct UiServerOptions {
  int port = 0;  // 0: a free port
  std::string token;
  int threads = 8;
};

// Binds, calls on_listening(port) and then serves until a signal. SIGINT and SIGTERM are blocked
// in the calling thread (and so in every thread it starts) and waited for by one thread: call this
// before starting other threads. invalid_input when the port cannot be bound.
Status serve_ui(Workspace& workspace, const UiServerOptions& options,
                const std::function<void(int port)>& on_listening);

}  // namespace regsweep::web
