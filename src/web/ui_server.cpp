#include "web/ui_server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <thread>

#include "util/time.hpp"
#include "web/assets.hpp"
#include "web/request_guard.hpp"

namespace regsweep::web {
namespace {

using nlohmann::json;

constexpr std::size_t k_max_body = std::size_t{16} << 20;  // select-all of a big repository

void security_headers(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Cache-Control", "no-store");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Cross-Origin-Resource-Policy", "same-origin");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
}

void send(httplib::Response& res, const Answer& answer) {
  res.status = answer.status;
  res.set_content(answer.body.dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

std::optional<std::string_view> header(const httplib::Request& req, const char* name) {
  const auto it = req.headers.find(name);
  if (it == req.headers.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string param(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

std::size_t number_param(const httplib::Request& req, const char* name, std::size_t fallback,
                         std::size_t max) {
  const std::string text = param(req, name);
  if (text.empty()) return fallback;
  try {
    return std::min<std::size_t>(std::stoull(text), max);
  } catch (const std::exception&) {
    return fallback;
  }
}

// The body as JSON; an Answer when it is not a JSON object.
std::optional<Answer> parse_body(const httplib::Request& req, json& body) {
  const auto type = header(req, "Content-Type");
  if (!type || !type->starts_with("application/json"))
    return error_answer(415, "send the request body as application/json");
  body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return error_answer(400, "the request body is not a JSON object");
  return std::nullopt;
}

std::string string_field(const json& body, const char* name) {
  const auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t number_field(const json& body, const char* name) {
  const auto it = body.find(name);
  return it != body.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

std::vector<std::string> strings_field(const json& body, const char* name) {
  std::vector<std::string> out;
  const auto it = body.find(name);
  if (it == body.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

Result<ImageQuery> image_query(const httplib::Request& req) {
  ImageQuery query;
  if (const std::string sort = param(req, "sort"); !sort.empty()) {
    const auto key = parse_sort_key(sort);
    if (!key) return make_error(ErrorCode::invalid_input, "sort: '" + sort + "' is not a column");
    query.sort = *key;
  }
  query.descending = param(req, "order") != "asc";
  query.tag_glob = param(req, "tag");
  query.untagged = param(req, "untagged") == "1";
  if (const std::string older = param(req, "olderThan"); !older.empty()) {
    const auto duration = parse_duration(older);
    if (!duration)
      return make_error(ErrorCode::invalid_input,
                        "olderThan: '" + older + "' is not a duration; write e.g. 30d, 36h");
    query.older_than = *duration;
  }
  query.status = param(req, "status");
  query.text = param(req, "q");
  query.offset = number_param(req, "offset", 0, std::size_t{1} << 40);
  query.limit = number_param(req, "limit", 100, 1000);
  return query;
}

void routes(httplib::Server& server, Workspace& ws) {
  server.Get("/api/status", [&](const auto&, auto& res) { send(res, ws.status()); });
  server.Get("/api/overview", [&](const auto&, auto& res) { send(res, ws.overview()); });
  server.Get("/api/images", [&](const httplib::Request& req, auto& res) {
    auto query = image_query(req);
    if (!query.ok()) return send(res, error_answer(400, query.error().message));
    send(res, ws.images(number_param(req, "registry", 0, 1 << 20), param(req, "repository"), *query,
                        param(req, "digestsOnly") == "1"));
  });
  server.Get("/api/search", [&](const httplib::Request& req, auto& res) {
    const std::string q = param(req, "q");
    if (q.size() < 2) return send(res, error_answer(400, "q: type at least 2 characters"));
    send(res, ws.search(q, number_param(req, "limit", 50, 500)));
  });
  server.Get("/api/journal", [&](const httplib::Request& req, auto& res) {
    send(res, ws.journal(param(req, "repository"), param(req, "outcome"), param(req, "run"),
                         param(req, "q"), number_param(req, "limit", 500, 5000)));
  });
  server.Get(R"(/api/jobs/([a-z0-9-]+))",
             [&](const httplib::Request& req, auto& res) { send(res, ws.job(req.matches[1])); });
  const auto post = [&](const char* path, std::function<Answer(const json&)> handle) {
    server.Post(path, [handle](const httplib::Request& req, httplib::Response& res) {
      json body;
      if (auto refused = parse_body(req, body)) return send(res, *refused);
      send(res, handle(body));
    });
  };
  post("/api/refresh", [&](const json&) { return ws.refresh(); });
  post("/api/mode", [&](const json& b) {
    return ws.set_mode(string_field(b, "mode"), string_field(b, "text"));
  });
  post("/api/policy/validate",
       [&](const json& b) { return ws.validate_policy(string_field(b, "text")); });
  post("/api/policy/preview", [&](const json& b) {
    return ws.preview_policy(string_field(b, "text"), b.value("repositories", json::array()));
  });
  post("/api/policy/diff", [&](const json& b) {
    return ws.diff_policy(string_field(b, "text"), b.value("repositories", json::array()));
  });
  post("/api/policy/put", [&](const json& b) {
    return ws.put_policy(string_field(b, "text"), b.value("repositories", json::array()),
                         string_field(b, "confirm"));
  });
  post("/api/delete/preview", [&](const json& b) {
    return ws.delete_preview(number_field(b, "registry"), string_field(b, "repository"),
                             strings_field(b, "digests"));
  });
  post("/api/delete", [&](const json& b) {
    return ws.start_delete(number_field(b, "registry"), string_field(b, "repository"),
                           strings_field(b, "digests"), string_field(b, "confirm"),
                           number_field(b, "expectItems"), number_field(b, "expectBytes"));
  });
  // The page: embedded files only; every other path is 404 (no file system access at all).
  server.Get(R"(/.*)", [](const httplib::Request& req, httplib::Response& res) {
    if (req.path.starts_with("/api/")) {
      send(res, error_answer(404, "no such API call: " + req.path));
      return;
    }
    const EmbeddedAsset* asset = find_asset(req.path);
    if (asset == nullptr) {
      res.status = 404;
      res.set_content("not found", "text/plain; charset=utf-8");
      return;
    }
    res.set_content(std::string(asset->body), std::string(asset->content_type));
  });
}

}  // namespace

Status serve_ui(Workspace& workspace, const UiServerOptions& options,
                const std::function<void(int port)>& on_listening) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  httplib::Server server;
  const int threads = options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(k_max_body);
  // httplib's default also sets SO_REUSEPORT, which would let a second server (another run, or
  // anything of the same user) share the port and take some of the connections: the port must be
  // ours alone. SO_REUSEADDR only lets a restart bind while old connections linger.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  GuardConfig guard{0, options.token};
  server.set_pre_routing_handler([&guard](const httplib::Request& req, httplib::Response& res) {
    security_headers(res);
    const auto refusal = check_request(
        guard, {req.method, req.path, header(req, "Host"), header(req, "Origin"),
                header(req, "Sec-Fetch-Site"), header(req, std::string(k_token_header).c_str())});
    if (!refusal) return httplib::Server::HandlerResponse::Unhandled;
    send(res, error_answer(refusal->status, refusal->message));
    return httplib::Server::HandlerResponse::Handled;
  });
  routes(server, workspace);
  const int port = options.port == 0
                       ? server.bind_to_any_port("127.0.0.1")
                       : (server.bind_to_port("127.0.0.1", options.port) ? options.port : -1);
  if (port <= 0) {
    return make_error(ErrorCode::invalid_input,
                      "--port " + std::to_string(options.port) +
                          ": cannot listen on 127.0.0.1 there (in use?); choose another or 0");
  }
  guard.port = port;
  std::atomic<bool> signalled{false};
  std::thread waiter([&server, &signalled, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    signalled = true;
    server.stop();
  });
  on_listening(port);
  server.listen_after_bind();
  // Stopped by a signal, or listening failed: then wake the waiter, still waiting.
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return ok_status();
}

}  // namespace regsweep::web
