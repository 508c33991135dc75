// Admin endpoint (docs/emulator.md): state dump/replace/merge, re-tagging, counters, faults,
// settings.
// Unsigned, JSON in and out; errors are {"error": "..."} with status 400/404.
#include "admin.hpp"

#include <httplib.h>

#include <mutex>
#include <optional>
#include <shared_mutex>

#include "seed.hpp"
#include "server.hpp"

namespace ecr_emulator {

namespace {

constexpr const char* k_json = "application/json";

void answer(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), k_json);
}

void fail(httplib::Response& res, int status, const std::string& message) {
  answer(res, status, {{"error", message}});
}

std::optional<Json> json_body(const httplib::Request& req, httplib::Response& res) {
  Json body = req.body.empty() ? Json::object() : Json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    fail(res, 400, "admin: body: not a JSON object; send application/json");
    return std::nullopt;
  }
  return body;
}

std::string str(const Json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// POST /_emulator/tag {"repositoryName", "imageTag", "imageDigest"}: moves the tag onto the image.
// POST /_emulator/untag {"repositoryName", "imageTag"}: removes the tag (the image stays).
void retag(Emulator& emu, const httplib::Request& req, httplib::Response& res, bool attach) {
  auto body = json_body(req, res);
  if (!body) return;
  std::string name = str(*body, "repositoryName"), tag = str(*body, "imageTag"),
              digest = str(*body, "imageDigest");
  if (name.empty() || tag.empty() || (attach && digest.empty())) {
    return fail(res, 400,
                "admin: repositoryName, imageTag" + std::string(attach ? " and imageDigest" : "") +
                    " are required");
  }
  std::unique_lock lock(emu.store.mutex);
  auto repo = emu.store.repositories.find(name);
  if (repo == emu.store.repositories.end())
    return fail(res, 404, "admin: repository '" + name + "' not found");
  if (attach) {
    if (!repo->second.images.contains(digest))
      return fail(res, 404, "admin: image '" + digest + "' not found");
    attach_tag(repo->second, digest, tag);
  } else {
    if (!repo->second.tag_to_digest.contains(tag))
      return fail(res, 404, "admin: tag '" + tag + "' not found");
    detach_tag(repo->second, tag);
  }
  answer(res, 200, {{"ok", true}});
}

Json settings_json(const Store& store) {
  return Json{{"restore_delay_ms", store.restore_delay_ms},
              {"archived_pull_failure_code", store.archived_pull_failure}};
}

// POST /_emulator/settings {"restore_delay_ms"?: N >= 0, "archived_pull_failure_code"?:
// "ImageNotFound" | "ImageInaccessible"}: members given replace the current values; the document
// is checked whole first, so a bad one changes nothing.
void update_settings(Emulator& emu, const httplib::Request& req, httplib::Response& res) {
  auto body = json_body(req, res);
  if (!body) return;
  std::optional<Millis> delay;
  std::optional<std::string> code;
  for (const auto& [key, value] : body->items()) {
    if (key == "restore_delay_ms") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0)
        return fail(res, 400, "admin: settings: restore_delay_ms: must be an integer >= 0");
      delay = value.get<Millis>();
    } else if (key == "archived_pull_failure_code") {
      if (!value.is_string() || (value != "ImageNotFound" && value != "ImageInaccessible")) {
        return fail(res, 400,
                    "admin: settings: archived_pull_failure_code: use ImageNotFound or "
                    "ImageInaccessible");
      }
      code = value.get<std::string>();
    } else {
      return fail(res, 400,
                  "admin: settings: unknown member '" + key +
                      "'; use restore_delay_ms or archived_pull_failure_code");
    }
  }
  std::unique_lock lock(emu.store.mutex);
  if (delay) emu.store.restore_delay_ms = *delay;
  if (code) emu.store.archived_pull_failure = *code;
  answer(res, 200, settings_json(emu.store));
}

// POST /_emulator/layers-gone {"repositoryName", "blobDigests": [...]}: ECR has removed these
// layers (or configs) from the repository; a PutImage that needs one fails LayersNotFound.
void layers_gone(Emulator& emu, const httplib::Request& req, httplib::Response& res) {
  auto body = json_body(req, res);
  if (!body) return;
  const std::string name = str(*body, "repositoryName");
  const auto blobs = body->find("blobDigests");
  if (name.empty() || blobs == body->end() || !blobs->is_array() || blobs->empty())
    return fail(res, 400, "admin: repositoryName and blobDigests (a non-empty array) are required");
  for (const auto& blob : *blobs)
    if (!blob.is_string()) return fail(res, 400, "admin: blobDigests: strings only");
  std::unique_lock lock(emu.store.mutex);
  auto repo = emu.store.repositories.find(name);
  if (repo == emu.store.repositories.end())
    return fail(res, 404, "admin: repository '" + name + "' not found");
  for (const auto& blob : *blobs) repo->second.removed_blobs.insert(blob.get<std::string>());
  answer(res, 200, {{"ok", true}});
}

}  // namespace

void register_admin_routes(httplib::Server& http, Emulator& emu) {
  http.Get("/_emulator/health", [](const httplib::Request&, httplib::Response& res) {
    answer(res, 200, {{"status", "ok"}});
  });
  http.Get("/_emulator/state", [&emu](const httplib::Request&, httplib::Response& res) {
    res.set_content(dump_snapshot(emu.store, wall_clock_millis()), k_json);
  });
  http.Get("/_emulator/settings", [&emu](const httplib::Request&, httplib::Response& res) {
    std::shared_lock lock(emu.store.mutex);
    answer(res, 200, settings_json(emu.store));
  });
  http.Post("/_emulator/settings", [&emu](const httplib::Request& req, httplib::Response& res) {
    update_settings(emu, req, res);
  });
  // PUT replaces the whole state; POST /_emulator/images merges (creates repositories, pushes or
  // re-pushes the listed images with the given times).
  auto load = [&emu](SeedMode mode) {
    return [&emu, mode](const httplib::Request& req, httplib::Response& res) {
      if (auto problem = load_snapshot(req.body, emu.store, mode, wall_clock_millis()))
        return fail(res, 400, *problem);
      answer(res, 200, {{"ok", true}});
    };
  };
  http.Put("/_emulator/state", load(SeedMode::replace));
  http.Post("/_emulator/state", load(SeedMode::replace));
  http.Post("/_emulator/images", load(SeedMode::merge));
  http.Post("/_emulator/tag", [&emu](const httplib::Request& req, httplib::Response& res) {
    retag(emu, req, res, true);
  });
  http.Post("/_emulator/untag", [&emu](const httplib::Request& req, httplib::Response& res) {
    retag(emu, req, res, false);
  });
  http.Post("/_emulator/layers-gone", [&emu](const httplib::Request& req, httplib::Response& res) {
    layers_gone(emu, req, res);
  });
  http.Get("/_emulator/counters", [&emu](const httplib::Request&, httplib::Response& res) {
    answer(res, 200, emu.counters.describe());
  });
  http.Post("/_emulator/counters/reset", [&emu](const httplib::Request&, httplib::Response& res) {
    emu.counters.reset();
    answer(res, 200, {{"ok", true}});
  });
  http.Get("/_emulator/faults", [&emu](const httplib::Request&, httplib::Response& res) {
    answer(res, 200, emu.faults.describe());
  });
  http.Post("/_emulator/faults", [&emu](const httplib::Request& req, httplib::Response& res) {
    auto body = json_body(req, res);
    if (!body) return;
    if (auto problem = emu.faults.configure(*body)) return fail(res, 400, *problem);
    answer(res, 200, emu.faults.describe());
  });
  http.Delete("/_emulator/faults", [&emu](const httplib::Request&, httplib::Response& res) {
    (void)emu.faults.configure(Json::object());
    answer(res, 200, emu.faults.describe());
  });
  // Anything else under the prefix is a 404 rather than an ECR call.
  auto unknown = [](const httplib::Request& req, httplib::Response& res) {
    fail(res, 404, "admin: no route " + req.method + " " + req.path + "; see docs/emulator.md");
  };
  http.Get(R"(/_emulator/.*)", unknown);
  http.Post(R"(/_emulator/.*)", unknown);
}

}  // namespace ecr_emulator
