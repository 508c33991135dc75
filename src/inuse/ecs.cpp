// The ECS in-use source (contract in source.hpp). Calls, all paginated with nextToken:
//   ListClusters -> per cluster: ListTasks(desiredStatus RUNNING, then STOPPED) -> DescribeTasks
//   (<= 100 tasks a call); ListServices -> DescribeServices (<= 10 a call) -> task definitions of
//   deployments not INACTIVE; then ListTaskDefinitionFamilies(ACTIVE) -> ListTaskDefinitions
//   (familyPrefix, ACTIVE, sort DESC; all pages, sorted here by revision) for the newest N
//   revisions -> DescribeTaskDefinition (each task definition once) ->
//   containerDefinitions[].image.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "inuse/source.hpp"

namespace regsweep {
namespace {

using nlohmann::json;

class EcsSource final : public InUseSource {
 public:
  EcsSource(std::shared_ptr<AwsJsonClient> client, EcsScanOptions options)
      : m_client(std::move(client)), m_options(std::move(options)) {}

  Result<InUseSet> collect() override {
    m_set = InUseSet{};
    m_described.clear();
    m_set.sources.push_back("ecs " + m_options.region);
    if (auto status = scan(); !status) return status.error();
    return std::move(m_set);
  }

 private:
  Result<json> call(const char* operation, const json& request) {
    auto body = m_client->call(operation, request.dump());
    if (!body) {
      Error error = body.error();
      error.message = "ecs " + m_options.region + ": " + operation + ": " + error.message +
                      "; the in-use scan needs every ECS listing to succeed";
      return error;
    }
    try {
      auto parsed = json::parse(*body);
      if (!parsed.is_object()) throw std::runtime_error("not an object");
      return parsed;
    } catch (const std::exception& e) {
      return make_error(ErrorCode::transient, "ecs " + m_options.region + ": " + operation +
                                                  ": unreadable response (" + e.what() + ")");
    }
  }

  static std::vector<std::string> strings(const json& response, const char* key) {
    std::vector<std::string> out;
    if (const auto it = response.find(key); it != response.end() && it->is_array()) {
      for (const auto& item : *it) {
        if (item.is_string()) out.push_back(item.get<std::string>());
      }
    }
    return out;
  }

  static std::string text(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
  }

  // Calls `operation` page by page, passing each response to `page`.
  template <class Page>
  Status paginate(const char* operation, json request, Page&& page) {
    std::set<std::string> tokens;
    while (true) {
      auto response = call(operation, request);
      if (!response) return response.error();
      if (auto status = page(*response); !status) return status;
      const std::string token = text(*response, "nextToken");
      if (token.empty()) return ok_status();
      if (!tokens.insert(token).second) {
        return make_error(ErrorCode::internal,
                          "ecs: " + std::string(operation) + " returned the same nextToken twice");
      }
      request["nextToken"] = token;
    }
  }

  void add(const std::string& image, const std::string& source) {
    if (image.empty()) return;
    if (auto status = m_set.add(image, source); !status)
      m_set.problems.push_back({source, status.error().message});
  }

  Status scan() {
    std::vector<std::string> clusters;
    auto status = paginate("ListClusters", json::object(), [&](const json& r) {
      for (auto& arn : strings(r, "clusterArns")) clusters.push_back(std::move(arn));
      return ok_status();
    });
    if (!status) return status;
    std::set<std::string> task_definitions;
    for (const auto& cluster : clusters) {
      for (const char* desired : {"RUNNING", "STOPPED"}) {
        if (auto s = tasks(cluster, desired); !s) return s;
      }
      if (auto s = services(cluster, task_definitions); !s) return s;
    }
    if (auto s = families(task_definitions); !s) return s;
    for (const auto& arn : task_definitions) {
      if (auto s = describe_task_definition(arn); !s) return s;
    }
    return ok_status();
  }

  Status tasks(const std::string& cluster, const char* desired) {
    std::vector<std::string> arns;
    auto status = paginate("ListTasks", json{{"cluster", cluster}, {"desiredStatus", desired}},
                           [&](const json& r) {
                             for (auto& arn : strings(r, "taskArns"))
                               arns.push_back(std::move(arn));
                             return ok_status();
                           });
    if (!status) return status;
    for (std::size_t i = 0; i < arns.size(); i += 100) {
      const std::vector<std::string> batch(arns.begin() + i,
                                           arns.begin() + std::min(arns.size(), i + 100));
      auto response = call("DescribeTasks", json{{"cluster", cluster}, {"tasks", batch}});
      if (!response) return response.error();
      if (const auto it = response->find("tasks"); it != response->end() && it->is_array()) {
        for (const auto& task : *it) task_images(task, desired);
      }
      if (const auto it = response->find("failures"); it != response->end() && it->is_array()) {
        for (const auto& f : *it) {
          if (f.is_object())
            m_set.problems.push_back(
                {"ecs " + text(f, "arn"), "DescribeTasks: " + text(f, "reason")});
        }
      }
    }
    return ok_status();
  }

  void task_images(const json& task, const char* desired) {
    if (!task.is_object()) return;
    const auto containers = task.find("containers");
    if (containers == task.end() || !containers->is_array()) return;
    for (const auto& c : *containers) {
      if (!c.is_object()) continue;
      const std::string source = "ecs " + m_options.region + " " + std::string(desired) + " task " +
                                 text(task, "taskArn") + " container " + text(c, "name");
      const std::string image = text(c, "image");
      add(image, source);
      // The digest the task actually pulled: survives a tag that has moved since.
      const std::string digest = text(c, "imageDigest");
      if (digest.empty() || image.empty()) continue;
      auto ref = parse_image_reference(image);
      if (!ref || ref->bare()) continue;
      ref->tag.clear();
      ref->digest = digest;
      if (is_valid_digest(digest)) add(to_string(*ref), source + " imageDigest");
    }
  }

  Status services(const std::string& cluster, std::set<std::string>& task_definitions) {
    std::vector<std::string> arns;
    auto status = paginate("ListServices", json{{"cluster", cluster}}, [&](const json& r) {
      for (auto& arn : strings(r, "serviceArns")) arns.push_back(std::move(arn));
      return ok_status();
    });
    if (!status) return status;
    for (std::size_t i = 0; i < arns.size(); i += 10) {
      const std::vector<std::string> batch(arns.begin() + i,
                                           arns.begin() + std::min(arns.size(), i + 10));
      auto response = call("DescribeServices", json{{"cluster", cluster}, {"services", batch}});
      if (!response) return response.error();
      const auto list = response->find("services");
      if (list == response->end() || !list->is_array()) continue;
      for (const auto& service : *list) {
        if (!service.is_object()) continue;
        if (auto td = text(service, "taskDefinition"); !td.empty()) task_definitions.insert(td);
        const auto deployments = service.find("deployments");
        if (deployments == service.end() || !deployments->is_array()) continue;
        for (const auto& d : *deployments) {
          if (d.is_object() && text(d, "status") != "INACTIVE" &&
              !text(d, "taskDefinition").empty()) {
            task_definitions.insert(text(d, "taskDefinition"));
          }
        }
      }
    }
    return ok_status();
  }

  Status families(std::set<std::string>& task_definitions) {
    if (m_options.revisions_per_family <= 0) return ok_status();
    std::vector<std::string> names;
    auto status =
        paginate("ListTaskDefinitionFamilies", json{{"status", "ACTIVE"}}, [&](const json& r) {
          for (auto& family : strings(r, "families")) names.push_back(std::move(family));
          return ok_status();
        });
    if (!status) return status;
    const std::size_t wanted = static_cast<std::size_t>(m_options.revisions_per_family);
    for (const auto& family : names) {
      // Every revision of exactly this family (ARNs end ":task-definition/<family>:<revision>"),
      // ordered here by revision number: the answer's order (sort DESC) is not trusted, as some
      // servers (moto) ignore it.
      std::vector<std::pair<long long, std::string>> revisions;
      auto listed = paginate(
          "ListTaskDefinitions",
          json{{"familyPrefix", family}, {"status", "ACTIVE"}, {"sort", "DESC"}},
          [&](const json& r) {
            for (auto& arn : strings(r, "taskDefinitionArns")) {
              const auto slash = arn.rfind('/');
              const auto colon = arn.rfind(':');
              if (slash == std::string::npos || colon == std::string::npos || colon < slash)
                continue;
              if (arn.compare(slash + 1, colon - slash - 1, family) != 0) continue;
              long long revision = 0;
              try {
                revision = std::stoll(arn.substr(colon + 1));
              } catch (const std::exception&) {
                continue;
              }
              revisions.emplace_back(revision, std::move(arn));
            }
            return ok_status();
          });
      if (!listed) return listed;
      std::sort(revisions.begin(), revisions.end(),
                [](const auto& a, const auto& b) { return a.first > b.first; });
      for (std::size_t i = 0; i < revisions.size() && i < wanted; ++i)
        task_definitions.insert(revisions[i].second);
    }
    return ok_status();
  }

  Status describe_task_definition(const std::string& arn) {
    if (!m_described.insert(arn).second) return ok_status();
    auto response = call("DescribeTaskDefinition", json{{"taskDefinition", arn}});
    if (!response) return response.error();
    const auto td = response->find("taskDefinition");
    if (td == response->end() || !td->is_object()) {
      return make_error(ErrorCode::transient,
                        "ecs: DescribeTaskDefinition " + arn + ": no taskDefinition in the answer");
    }
    const auto defs = td->find("containerDefinitions");
    if (defs == td->end() || !defs->is_array()) return ok_status();
    for (const auto& c : *defs) {
      if (c.is_object())
        add(text(c, "image"), "ecs " + m_options.region + " task definition " + arn +
                                  " container " + text(c, "name"));
    }
    return ok_status();
  }

  std::shared_ptr<AwsJsonClient> m_client;
  EcsScanOptions m_options;
  InUseSet m_set;
  std::set<std::string> m_described;
};

}  // namespace

std::unique_ptr<InUseSource> make_ecs_source(std::shared_ptr<AwsJsonClient> client,
                                             EcsScanOptions options) {
  return std::make_unique<EcsSource>(std::move(client), std::move(options));
}

}  // namespace regsweep
