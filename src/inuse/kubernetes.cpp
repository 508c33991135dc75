// Kubernetes workload JSON -> InUseSet (contract in source.hpp). Shapes we do not expect (a
// containers field that is not an array, an image that is not a string) are errors rather than
// skipped: skipping could hide an image in use.
#include <nlohmann/json.hpp>

#include "inuse/source.hpp"

namespace regsweep {
namespace {

using nlohmann::json;

constexpr int k_max_list_depth = 8;

class Walker {
 public:
  Walker(std::string name, InUseSet& out) : m_name(std::move(name)), m_out(out) {}

  Status item(const json& object, int depth) {
    if (!object.is_object())
      return fail("an item is " + std::string(object.type_name()) + ", not an object");
    const std::string kind = string_field(object, "kind");
    if (const auto items = object.find("items"); items != object.end() && kind.ends_with("List")) {
      if (depth >= k_max_list_depth) return fail("Lists nested deeper than 8");
      if (!items->is_array()) return fail("items of a " + kind + " is not an array");
      for (const auto& child : *items) {
        if (auto status = item(child, depth + 1); !status) return status;
      }
      return ok_status();
    }
    std::string where = (kind.empty() ? std::string("object") : kind) + " " + object_name(object);
    const auto spec = object.find("spec");
    if (spec == object.end() || !spec->is_object())
      return ok_status();  // a Service, ConfigMap, ...
    if (auto status = pod_spec(*spec, where); !status) return status;
    if (const auto* tpl = path(*spec, {"template", "spec"})) {
      if (auto status = pod_spec(*tpl, where + " template"); !status) return status;
    }
    if (const auto* tpl = path(*spec, {"jobTemplate", "spec", "template", "spec"})) {
      if (auto status = pod_spec(*tpl, where + " jobTemplate"); !status) return status;
    }
    if (const auto status_it = object.find("status");
        status_it != object.end() && status_it->is_object()) {
      for (const char* field :
           {"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"}) {
        if (auto status = container_statuses(*status_it, field, where); !status) return status;
      }
    }
    return ok_status();
  }

 private:
  static std::string string_field(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
  }

  static std::string object_name(const json& object) {
    const auto meta = object.find("metadata");
    if (meta == object.end() || !meta->is_object()) return "?";
    const std::string ns = string_field(*meta, "namespace");
    const std::string name = string_field(*meta, "name");
    return (ns.empty() ? "" : ns + "/") + (name.empty() ? "?" : name);
  }

  static const json* path(const json& start, std::initializer_list<const char*> keys) {
    const json* node = &start;
    for (const char* key : keys) {
      if (!node->is_object()) return nullptr;
      const auto it = node->find(key);
      if (it == node->end()) return nullptr;
      node = &*it;
    }
    return node->is_object() ? node : nullptr;
  }

  Status fail(const std::string& problem) const {
    return make_error(
        ErrorCode::invalid_input,
        m_name + ": " + problem + "; pass the output of `kubectl get ... -o json` unchanged");
  }

  void add(const std::string& raw, const std::string& source) {
    auto status = m_out.add(raw, source);
    if (!status) m_out.problems.push_back({source, status.error().message});
  }

  Status pod_spec(const json& spec, const std::string& where) {
    for (const char* field : {"containers", "initContainers", "ephemeralContainers"}) {
      const auto list = spec.find(field);
      if (list == spec.end() || list->is_null()) continue;
      if (!list->is_array()) return fail(where + ": " + field + " is not an array");
      std::string singular(field);
      singular.pop_back();
      for (const auto& container : *list) {
        if (!container.is_object())
          return fail(where + ": an entry of " + field + " is not an object");
        const auto image = container.find("image");
        if (image == container.end() || image->is_null())
          continue;  // left to a controller to fill in
        if (!image->is_string()) return fail(where + ": " + field + "[].image is not a string");
        add(image->get<std::string>(), "kubernetes " + m_name + ": " + where + " " + singular +
                                           " " + string_field(container, "name"));
      }
    }
    return ok_status();
  }

  // The runtime reports the digest it pulled; when the tag has moved since, this is the only
  // record of the image that is actually running.
  Status container_statuses(const json& status, const char* field, const std::string& where) {
    const auto list = status.find(field);
    if (list == status.end() || list->is_null()) return ok_status();
    if (!list->is_array()) return fail(where + ": status." + field + " is not an array");
    for (const auto& entry : *list) {
      if (!entry.is_object())
        return fail(where + ": an entry of status." + field + " is not an object");
      const std::string image_id = string_field(entry, "imageID");
      if (image_id.empty()) continue;  // not pulled yet
      const std::string source = "kubernetes " + m_name + ": " + where + " " + field + " " +
                                 string_field(entry, "name") + " imageID";
      auto id = parse_image_reference(image_id);
      if (!id) {
        m_out.problems.push_back({source, id.error().message});
        continue;
      }
      if (!id->bare()) {
        add(image_id, source);
        continue;
      }
      // A bare "sha256:..." imageID: pin it to the repository of the status' image.
      auto image = parse_image_reference(string_field(entry, "image"));
      if (!image || image->bare()) {
        m_out.problems.push_back(
            {source, "imageID " + image_id + " names no repository and status image '" +
                         string_field(entry, "image") + "' is not a reference"});
        continue;
      }
      image->tag.clear();
      image->digest = id->digest;
      add(to_string(*image), source);
    }
    return ok_status();
  }

  std::string m_name;
  InUseSet& m_out;
};

}  // namespace

Result<InUseSet> parse_kubernetes_json(std::string_view text, const std::string& name) {
  json document;
  try {
    document = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    return make_error(
        ErrorCode::invalid_input,
        name + ": not JSON (" + e.what() + "); pass the output of `kubectl get ... -A -o json`");
  }
  InUseSet set;
  set.sources.push_back("kubernetes " + name);
  Walker walker(name, set);
  if (auto status = walker.item(document, 0); !status) return status.error();
  return set;
}

}  // namespace regsweep
