// The ECR backend. Every method builds request JSON, calls the (retrying, signing) AwsJsonClient
// and maps the answer; nothing here sleeps or retries itself. Listing is all-or-nothing: any failed
// page or manifest read fails list_images() whole (ARCHITECTURE.md safety rule 1).
#include "registry/ecr/ecr_registry.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

#include "registry/ecr/ecr_json.hpp"

namespace regsweep {
namespace {

using nlohmann::json;

constexpr std::size_t k_max_ids_per_call = 100;  // BatchGetImage, BatchDeleteImage, DescribeImages
constexpr int k_page_size = 1000;                // maxResults upper bound

Error with_context(Error error, const std::string& context) {
  error.message = context + ": " + error.message;
  return error;
}

class EcrRegistry final : public Registry {
 public:
  EcrRegistry(EcrTarget target, std::shared_ptr<AwsJsonClient> client)
      : m_target(std::move(target)), m_client(std::move(client)), m_account(m_target.registry_id) {}

  std::string describe() const override {
    std::string text = "ECR";
    if (!m_target.registry_id.empty()) text += " " + m_target.registry_id;
    if (!m_target.region.empty()) text += " " + m_target.region;
    return text;
  }

  Result<RegistryIdentity> identity() override {
    {
      std::lock_guard lock(m_account_mutex);
      if (!m_account.empty())
        return RegistryIdentity{RegistryKind::ecr, m_account, m_target.region};
    }
    json request = base_request();
    request["maxResults"] = 1;
    auto page = call("DescribeRepositories", request, "DescribeRepositories (whose registry)");
    if (!page) return std::move(page).take_error();
    std::string account;
    if (const auto repos = page->find("repositories");
        repos != page->end() && repos->is_array() && !repos->empty()) {
      account = ecr::string_member(repos->front(), "registryId");
    }
    if (account.empty() && m_target.caller_account) {
      auto caller = m_target.caller_account();
      if (!caller) return with_context(std::move(caller).take_error(), "whose registry");
      account = *caller;
    }
    if (account.empty()) {
      return make_error(ErrorCode::invalid_input,
                        describe() +
                            ": the registry's account is unknown (no repository names it and the "
                            "caller's identity is not available); fix: pass --registry-id");
    }
    remember_account(account);
    return RegistryIdentity{RegistryKind::ecr, account, m_target.region};
  }

  Result<std::vector<RepositoryInfo>> list_repositories() override {
    std::vector<RepositoryInfo> out;
    std::string token;
    do {
      json request = base_request();
      request["maxResults"] = k_page_size;
      if (!token.empty()) request["nextToken"] = token;
      auto page = call("DescribeRepositories", request, "DescribeRepositories");
      if (!page) return std::move(page).take_error();
      if (const auto repos = page->find("repositories");
          repos != page->end() && repos->is_array()) {
        for (const auto& repo : *repos) {
          RepositoryInfo info;
          info.name = ecr::string_member(repo, "repositoryName");
          info.registry_id = ecr::string_member(repo, "registryId");
          remember_account(info.registry_id);
          info.uri = ecr::string_member(repo, "repositoryUri");
          if (!info.name.empty()) out.push_back(std::move(info));
        }
      }
      token = next_token(*page);
    } while (!token.empty());
    std::sort(out.begin(), out.end(),
              [](const RepositoryInfo& a, const RepositoryInfo& b) { return a.name < b.name; });
    return out;
  }

  Result<std::vector<ImageRecord>> list_images(const std::string& repository) override {
    std::vector<ImageRecord> images;
    std::string token;
    int page_number = 0;
    do {
      ++page_number;
      json request = repository_request(repository);
      request["maxResults"] = k_page_size;
      // Without imageStatus ANY, ECR lists only ACTIVE images (API reference,
      // DescribeImagesFilter), and archive-class rules would never see an archived image.
      request["filter"] = {{"tagStatus", "ANY"}, {"imageStatus", "ANY"}};
      if (!token.empty()) request["nextToken"] = token;
      const std::string where =
          "DescribeImages " + repository + " page " + std::to_string(page_number);
      auto page = call("DescribeImages", request, where);
      if (!page) return std::move(page).take_error();
      auto status = append_details(*page, where, images);
      if (!status) return std::move(status).take_error();
      token = next_token(*page);
    } while (!token.empty());

    auto manifests = fill_manifests(repository, images);
    if (!manifests) return std::move(manifests).take_error();
    std::sort(images.begin(), images.end(), [](const ImageRecord& a, const ImageRecord& b) {
      return a.pushed_at != b.pushed_at ? a.pushed_at > b.pushed_at : a.digest < b.digest;
    });
    return images;
  }

  Result<std::vector<ImageRecord>> describe_images(
      const std::string& repository, const std::vector<std::string>& digests) override {
    std::vector<ImageRecord> out;
    for (std::size_t i = 0; i < digests.size(); i += k_max_ids_per_call) {
      const std::size_t end = std::min(digests.size(), i + k_max_ids_per_call);
      auto status = describe_some(repository, {digests.begin() + i, digests.begin() + end}, out);
      if (!status) return std::move(status).take_error();
    }
    return out;
  }

  Result<DeleteOutcome> delete_images(const std::string& repository,
                                      const std::vector<ImageId>& ids) override {
    DeleteOutcome outcome;
    for (std::size_t i = 0; i < ids.size(); i += k_max_ids_per_call) {
      const std::size_t end = std::min(ids.size(), i + k_max_ids_per_call);
      delete_chunk(repository, {ids.begin() + i, ids.begin() + end}, outcome);
    }
    return outcome;
  }

  // BatchGetImage, 100 digests a call; images ECR reports as failures are left out of the map.
  Result<std::map<std::string, std::string>> get_manifests(
      const std::string& repository, const std::vector<std::string>& digests) override {
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < digests.size(); i += k_max_ids_per_call) {
      json request = repository_request(repository);
      request["acceptedMediaTypes"] = ecr::accepted_manifest_media_types();
      json ids = json::array();
      for (std::size_t k = i; k < std::min(digests.size(), i + k_max_ids_per_call); ++k)
        ids.push_back({{"imageDigest", digests[k]}});
      request["imageIds"] = std::move(ids);
      auto answer = call("BatchGetImage", request, "BatchGetImage " + repository);
      if (!answer) return std::move(answer).take_error();
      if (const auto got = answer->find("images"); got != answer->end() && got->is_array()) {
        for (const auto& image : *got) {
          const ImageId id = ecr::image_id_from_json(ecr::member(image, "imageId"));
          const auto manifest = image.find("imageManifest");
          if (!id.digest.empty() && manifest != image.end() && manifest->is_string())
            out[id.digest] = manifest->get<std::string>();
        }
      }
    }
    return out;
  }

  Result<std::optional<std::string>> get_lifecycle_policy(const std::string& repository) override {
    auto answer = call("GetLifecyclePolicy", repository_request(repository),
                       "GetLifecyclePolicy " + repository);
    if (!answer) {
      if (answer.error().service_code == "LifecyclePolicyNotFoundException") {
        return std::optional<std::string>();
      }
      return std::move(answer).take_error();
    }
    const auto text = answer->find("lifecyclePolicyText");
    if (text == answer->end() || !text->is_string()) return std::optional<std::string>();
    return std::optional<std::string>(text->get<std::string>());
  }

  Status put_lifecycle_policy(const std::string& repository,
                              const std::string& policy_text) override {
    json request = repository_request(repository);
    request["lifecyclePolicyText"] = policy_text;
    auto answer = call("PutLifecyclePolicy", request, "PutLifecyclePolicy " + repository);
    if (!answer) return std::move(answer).take_error();
    return ok_status();
  }

  Status delete_lifecycle_policy(const std::string& repository) override {
    auto answer = call("DeleteLifecyclePolicy", repository_request(repository),
                       "DeleteLifecyclePolicy " + repository);
    // Deleting what is not there is done (docs/research/ecr-api.md §6.3: idempotent on retry).
    if (!answer && answer.error().service_code != "LifecyclePolicyNotFoundException") {
      return std::move(answer).take_error();
    }
    return ok_status();
  }

  Result<ImageStatus> update_storage_class(const std::string& repository, const std::string& digest,
                                           StorageClass target) override {
    json request = repository_request(repository);
    request["imageId"] = {{"imageDigest", digest}};
    request["targetStorageClass"] = target == StorageClass::archive ? "ARCHIVE" : "STANDARD";
    auto answer = call("UpdateImageStorageClass", request,
                       "UpdateImageStorageClass " + repository + "@" + digest);
    if (!answer) return std::move(answer).take_error();
    const std::string status = ecr::string_member(*answer, "imageStatus");
    if (const auto known = parse_image_status(status)) return *known;
    return make_error(ErrorCode::internal, "UpdateImageStorageClass " + repository + "@" + digest +
                                               ": unknown imageStatus \"" + status + "\"");
  }

  Status put_image(const std::string& repository, const std::string& manifest,
                   const std::string& media_type, const std::string& tag) override {
    json request = repository_request(repository);
    request["imageManifest"] = manifest;
    if (!media_type.empty()) request["imageManifestMediaType"] = media_type;
    if (!tag.empty()) request["imageTag"] = tag;
    auto answer =
        call("PutImage", request, "PutImage " + repository + (tag.empty() ? "" : ":" + tag));
    if (!answer) return std::move(answer).take_error();
    return ok_status();
  }

  Result<std::vector<std::string>> pull_time_exclusions() override {
    std::vector<std::string> out;
    std::string token;
    do {
      json request = json::object();
      if (!token.empty()) request["nextToken"] = token;
      auto page = call("ListPullTimeUpdateExclusions", request, "ListPullTimeUpdateExclusions");
      if (!page) return std::move(page).take_error();
      if (const auto list = page->find("pullTimeUpdateExclusions");
          list != page->end() && list->is_array()) {
        for (const auto& arn : *list)
          if (arn.is_string()) out.push_back(arn.get<std::string>());
      }
      token = next_token(*page);
    } while (!token.empty());
    return out;
  }

  Status register_pull_time_exclusion(const std::string& principal_arn) override {
    auto answer = call("RegisterPullTimeUpdateExclusion", {{"principalArn", principal_arn}},
                       "RegisterPullTimeUpdateExclusion " + principal_arn);
    // Already registered is what was asked for (idempotent setup).
    if (!answer && answer.error().service_code != "ExclusionAlreadyExistsException")
      return std::move(answer).take_error();
    return ok_status();
  }

  Status deregister_pull_time_exclusion(const std::string& principal_arn) override {
    auto answer = call("DeregisterPullTimeUpdateExclusion", {{"principalArn", principal_arn}},
                       "DeregisterPullTimeUpdateExclusion " + principal_arn);
    if (!answer && answer.error().service_code != "ExclusionNotFoundException")
      return std::move(answer).take_error();
    return ok_status();
  }

 private:
  json base_request() const {
    json request = json::object();
    if (!m_target.registry_id.empty()) request["registryId"] = m_target.registry_id;
    return request;
  }

  json repository_request(const std::string& repository) const {
    json request = base_request();
    request["repositoryName"] = repository;
    return request;
  }

  static std::string next_token(const json& page) {
    const auto it = page.find("nextToken");
    if (it == page.end() || !it->is_string()) return {};
    return it->get<std::string>();
  }

  Result<json> call(std::string_view operation, const json& request, const std::string& where) {
    auto body = m_client->call(operation, request.dump());
    if (!body) return with_context(std::move(body).take_error(), where);
    auto parsed = ecr::parse_response(operation, *body);
    if (!parsed) return with_context(std::move(parsed).take_error(), where);
    return parsed;
  }

  static Status append_details(const json& page, const std::string& where,
                               std::vector<ImageRecord>& out) {
    const auto details = page.find("imageDetails");
    if (details == page.end() || !details->is_array()) return ok_status();
    for (const auto& detail : *details) {
      auto record = ecr::image_from_detail(detail, where);
      if (!record) return std::move(record).take_error();
      out.push_back(std::move(record).value());
    }
    return ok_status();
  }

  // Reads the manifests of indexes and artifacts, 100 a call, and fills their relations.
  Status fill_manifests(const std::string& repository, std::vector<ImageRecord>& images) {
    std::vector<std::size_t> wanted;
    for (std::size_t i = 0; i < images.size(); ++i) {
      if (ecr::needs_manifest(images[i])) wanted.push_back(i);
    }
    for (std::size_t i = 0; i < wanted.size(); i += k_max_ids_per_call) {
      const std::size_t end = std::min(wanted.size(), i + k_max_ids_per_call);
      json request = repository_request(repository);
      request["acceptedMediaTypes"] = ecr::accepted_manifest_media_types();
      json ids = json::array();
      std::map<std::string, std::size_t> by_digest;
      for (std::size_t k = i; k < end; ++k) {
        ids.push_back({{"imageDigest", images[wanted[k]].digest}});
        by_digest[images[wanted[k]].digest] = wanted[k];
      }
      request["imageIds"] = std::move(ids);
      const std::string where = "BatchGetImage " + repository;
      auto answer = call("BatchGetImage", request, where);
      if (!answer) return std::move(answer).take_error();
      if (const auto failures = answer->find("failures");
          failures != answer->end() && failures->is_array() && !failures->empty()) {
        const json& first = failures->front();
        const ImageId id = ecr::image_id_from_json(ecr::member(first, "imageId"));
        const std::string code = ecr::string_member(first, "failureCode");
        return make_error(code == "ImageNotFound" ? ErrorCode::conflict : ErrorCode::internal,
                          where + ": " + id.digest + ": " + code + " " +
                              ecr::string_member(first, "failureReason") +
                              "; the manifest is needed to know which images it references");
      }
      std::size_t filled = 0;
      if (const auto got = answer->find("images"); got != answer->end() && got->is_array()) {
        for (const auto& image : *got) {
          const ImageId id = ecr::image_id_from_json(ecr::member(image, "imageId"));
          const auto index = by_digest.find(id.digest);
          const auto manifest = image.find("imageManifest");
          if (index == by_digest.end() || manifest == image.end() || !manifest->is_string()) {
            continue;
          }
          auto status = ecr::apply_manifest(images[index->second], manifest->get<std::string>());
          if (!status) return with_context(std::move(status).take_error(), where);
          by_digest.erase(index);
          ++filled;
        }
      }
      if (!by_digest.empty()) {
        return make_error(ErrorCode::internal, where + ": no manifest returned for " +
                                                   by_digest.begin()->first + " (" +
                                                   std::to_string(by_digest.size()) + " missing)");
      }
    }
    return ok_status();
  }

  // DescribeImages with imageIds fails whole when one id is unknown; then halve the batch until
  // the unknown ones are isolated, so the others are still described.
  Status describe_some(const std::string& repository, const std::vector<std::string>& digests,
                       std::vector<ImageRecord>& out) {
    if (digests.empty()) return ok_status();
    json request = repository_request(repository);
    json ids = json::array();
    for (const auto& digest : digests) ids.push_back({{"imageDigest", digest}});
    request["imageIds"] = std::move(ids);
    const std::string where = "DescribeImages " + repository;
    auto answer = call("DescribeImages", request, where);
    if (!answer) {
      if (answer.error().service_code != "ImageNotFoundException")
        return std::move(answer).take_error();
      if (digests.size() == 1) return ok_status();  // gone: simply absent
      const std::size_t half = digests.size() / 2;
      auto first = describe_some(repository, {digests.begin(), digests.begin() + half}, out);
      if (!first) return first;
      return describe_some(repository, {digests.begin() + half, digests.end()}, out);
    }
    return append_details(*answer, where, out);
  }

  void delete_chunk(const std::string& repository, const std::vector<ImageId>& ids,
                    DeleteOutcome& outcome) {
    json request = repository_request(repository);
    json list = json::array();
    for (const auto& id : ids) list.push_back(ecr::to_json(id));
    request["imageIds"] = std::move(list);
    auto answer = call("BatchDeleteImage", request, "BatchDeleteImage " + repository);
    if (!answer) {
      // The whole call failed after retries: every id of it failed, for the same reason.
      const Error& error = answer.error();
      const std::string code =
          error.service_code.empty() ? std::string(to_string(error.code)) : error.service_code;
      for (const auto& id : ids) outcome.failures.push_back({id, code, error.message});
      return;
    }
    if (const auto deleted = answer->find("imageIds");
        deleted != answer->end() && deleted->is_array()) {
      for (const auto& id : *deleted) outcome.deleted.push_back(ecr::image_id_from_json(id));
    }
    if (const auto failures = answer->find("failures");
        failures != answer->end() && failures->is_array()) {
      for (const auto& failure : *failures) {
        outcome.failures.push_back({ecr::image_id_from_json(ecr::member(failure, "imageId")),
                                    ecr::string_member(failure, "failureCode"),
                                    ecr::string_member(failure, "failureReason")});
      }
    }
  }

  // The registry's account as ECR named it (the first answer wins; they all name the same one).
  void remember_account(const std::string& account) {
    std::lock_guard lock(m_account_mutex);
    if (m_account.empty()) m_account = account;
  }

  EcrTarget m_target;
  std::shared_ptr<AwsJsonClient> m_client;
  std::mutex m_account_mutex;
  std::string m_account;  // registry_id, or learnt from ECR
};

}  // namespace

std::unique_ptr<Registry> make_ecr_registry(EcrTarget target,
                                            std::shared_ptr<AwsJsonClient> client) {
  return std::make_unique<EcrRegistry>(std::move(target), std::move(client));
}

}  // namespace regsweep
