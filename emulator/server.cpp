// ECR request handling: authenticate, count, inject faults, dispatch, answer in ECR's envelope.
#include "server.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "admin.hpp"
#include "crypto.hpp"
#include "ops.hpp"
#include "sts.hpp"
#include "util/ascii.hpp"

namespace ecr_emulator {

Millis wall_clock_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

constexpr std::string_view k_target_prefix = "AmazonEC2ContainerRegistry_V20150921.";
constexpr const char* k_content_type = "application/x-amz-json-1.1";

// Closes the client's connection before any response byte is sent (the "dropped connection"
// fault). httplib does not expose the socket, so find it by its address pair; shutdown() (not
// close()) leaves the descriptor to httplib, whose later write then fails harmlessly.
void drop_connection(const httplib::Request& req) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  int max_fd = static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 65536));
  for (int fd = 0; fd < max_fd; ++fd) {
    sockaddr_in local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        local.sin_family != AF_INET)
      continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;
    if (ntohs(local.sin_port) == req.local_port && ntohs(peer.sin_port) == req.remote_port) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
  }
}

void send_reply(httplib::Response& res, const Reply& reply, int slow_ms) {
  res.status = reply.status;
  res.set_header("x-amzn-RequestId", random_uuid());
  if (slow_ms <= 0) {
    res.set_content(reply.body, k_content_type);
    return;
  }
  // Trickle the body out in ten pieces across slow_ms.
  auto body = std::make_shared<std::string>(reply.body);
  res.set_content_provider(
      body->size(), k_content_type,
      [body, slow_ms](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::size_t piece = std::max<std::size_t>(1, body->size() / 10 + 1);
        std::size_t n = std::min(piece, length);
        std::this_thread::sleep_for(std::chrono::milliseconds(slow_ms / 10));
        return sink.write(body->data() + offset, n);
      });
}

// The request as the signature checker sees it: header names lower-cased.
HttpRequestView view_of(const httplib::Request& req) {
  HttpRequestView view;
  view.method = req.method;
  view.path = req.path;
  view.body = &req.body;
  for (const auto& [name, value] : req.headers) {
    view.headers.emplace_back(regsweep::ascii_lower(name), value);
  }
  return view;
}

Reply handle_ecr(Emulator& emu, const httplib::Request& req, std::string& op_name,
                 FaultDecision& faults) {
  Millis now = wall_clock_millis();
  std::string target = req.get_header_value("X-Amz-Target");
  op_name = target.starts_with(k_target_prefix) ? target.substr(k_target_prefix.size()) : target;
  HttpRequestView view = view_of(req);
  if (emu.config.verify_signature) {
    if (auto error = verify_sigv4(view, emu.config.credentials, now)) {
      op_name = "(unauthenticated)";
      emu.counters.add(op_name, Counters::calls);
      return error_reply(error->status, error->type, error->what());
    }
  }
  emu.counters.add(op_name, Counters::calls);
  Operation op = target.starts_with(k_target_prefix) ? find_operation(op_name) : nullptr;
  if (op == nullptr) {
    return error_reply(400, "UnknownOperationException", "Unknown operation '" + target + "'");
  }
  faults = emu.faults.decide(op_name);
  if (faults.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(faults.delay_ms));
  if (faults.throttle) {
    emu.counters.add(op_name, Counters::throttled);
    return error_reply(400, "ThrottlingException", "Rate exceeded");
  }
  if (faults.error_5xx) {
    emu.counters.add(op_name, Counters::server_errors);
    return error_reply(500, "ServerException", "Internal server error (injected fault)");
  }
  Json body = req.body.empty() ? Json::object() : Json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return error_reply(400, "SerializationException",
                       "Start of structure or map found where not expected.");
  }
  Context ctx{emu.store, now, {}};
  if (auto caller = request_principal(view, emu.config.credentials)) ctx.caller = caller->iam_arn;
  try {
    return Reply{200, op(ctx, body).body()};
  } catch (const ApiError& e) {
    return error_reply(e.status, e.type, e.what());
  } catch (const std::exception& e) {
    return error_reply(500, "ServerException", std::string("Internal error: ") + e.what());
  }
}

// STS Query calls (a form body, no X-Amz-Target) go to sts.cpp and are answered in XML; counted
// under their action. Returns false for everything else (ECR).
bool answer_sts(Emulator& emu, const httplib::Request& req, httplib::Response& res) {
  HttpRequestView view = view_of(req);
  if (!is_sts_request(view)) return false;
  const StsReply reply = handle_sts(view, emu.config.credentials, emu.config.verify_signature,
                                    wall_clock_millis(), emu.config.required_external_ids);
  emu.counters.add(reply.action, Counters::calls);
  if (reply.status != 200) emu.counters.add(reply.action, Counters::errors);
  res.status = reply.status;
  res.set_header("x-amzn-RequestId", random_uuid());
  res.set_content(reply.body, "text/xml");
  return true;
}

}  // namespace

struct HttpServer::Impl {
  Emulator& emu;
  httplib::Server http;
  explicit Impl(Emulator& e) : emu(e) {}
};

HttpServer::HttpServer(Emulator& emulator) : m_impl(std::make_unique<Impl>(emulator)) {
  auto& http = m_impl->http;
  Emulator& emu = emulator;
  int threads = std::max(1, emu.config.threads);
  http.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(threads));
  };
  http.set_keep_alive_max_count(1'000'000);
  http.set_keep_alive_timeout(30);
  http.set_tcp_nodelay(true);  // small answers must not wait for delayed ACKs (40 ms each)
  register_admin_routes(http, emu);
  http.Post(R"(/.*)", [&emu](const httplib::Request& req, httplib::Response& res) {
    if (answer_sts(emu, req, res)) return;
    std::string op_name;
    FaultDecision faults;
    Reply reply = handle_ecr(emu, req, op_name, faults);
    if (reply.status != 200) emu.counters.add(op_name, Counters::errors);
    if (faults.drop_connection) {
      emu.counters.add(op_name, Counters::dropped);
      drop_connection(req);
    }
    send_reply(res, reply, faults.slow_response_ms);
  });
}

HttpServer::~HttpServer() = default;

namespace {

// Debian's cpp-httplib is a compiled library that listens with a backlog of 5: a client opening
// dozens of connections at once (regsweep with --concurrency 32, the benchmarks) loses SYNs and
// waits a second for TCP to retry each. listen() again on the bound socket raises the backlog
// (Linux updates it in place); the socket is found by its port, as httplib does not expose it.
void widen_listen_backlog(int port) {
  for (int fd = 3; fd < 1024; ++fd) {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    int listening = 0;
    socklen_t flag_length = sizeof listening;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) continue;
    if (address.sin_family != AF_INET || ntohs(address.sin_port) != port) continue;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &flag_length) != 0 || !listening)
      continue;
    ::listen(fd, 1024);
  }
}

}  // namespace

int HttpServer::bind() {
  auto& config = m_impl->emu.config;
  const int port = config.port == 0 ? m_impl->http.bind_to_any_port(config.host)
                   : m_impl->http.bind_to_port(config.host, config.port) ? config.port
                                                                         : -1;
  if (port > 0) widen_listen_backlog(port);
  return port;
}

bool HttpServer::run() {
  return m_impl->http.listen_after_bind();
}
void HttpServer::stop() {
  m_impl->http.stop();
}

}  // namespace ecr_emulator
