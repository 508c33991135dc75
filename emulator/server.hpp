// The HTTP side: one cpp-httplib server answering the ECR API (POST with X-Amz-Target, any path)
// and the admin endpoint under /_emulator/ (admin.cpp). Binds 127.0.0.1 only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "counters.hpp"
#include "faults.hpp"
#include "sigv4.hpp"
#include "store.hpp"
#include "sts.hpp"

namespace ecr_emulator {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  Credentials credentials;
  bool verify_signature = true;
  int threads = 8;
  RequiredExternalIds required_external_ids;  // --require-external-id ROLE_ARN=ID
};

// Everything the handlers share.
struct Emulator {
  Store store;
  Faults faults{0};
  Counters counters;
  ServerConfig config;
};

class HttpServer {
 public:
  explicit HttpServer(Emulator& emulator);
  ~HttpServer();
  int bind();  // returns the bound port, or -1
  bool run();  // blocks until stop()
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

Millis wall_clock_millis();

}  // namespace ecr_emulator
