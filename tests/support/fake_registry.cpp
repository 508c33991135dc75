#include "support/fake_registry.hpp"

#include <algorithm>
#include <thread>

namespace regsweep::testing {

// Counts calls in flight for max_concurrent_calls(), and holds each for call_delay.
class FakeRegistry::ActiveCall {
 public:
  explicit ActiveCall(FakeRegistry& owner) : m_owner(owner) {
    const int now = ++m_owner.m_active;
    int seen = m_owner.m_max_active.load();
    while (now > seen && !m_owner.m_max_active.compare_exchange_weak(seen, now)) {
    }
    if (m_owner.call_delay.count() > 0) std::this_thread::sleep_for(m_owner.call_delay);
  }
  ~ActiveCall() { --m_owner.m_active; }

 private:
  FakeRegistry& m_owner;
};

void FakeRegistry::add_repository(const std::string& name, std::vector<ImageRecord> images) {
  std::lock_guard lock(m_mutex);
  m_repositories[name] = std::move(images);
}

std::vector<ImageRecord> FakeRegistry::images(const std::string& repository) const {
  std::lock_guard lock(m_mutex);
  const auto it = m_repositories.find(repository);
  return it == m_repositories.end() ? std::vector<ImageRecord>{} : it->second;
}

std::vector<FakeCall> FakeRegistry::calls(const std::string& operation) const {
  std::lock_guard lock(m_mutex);
  std::vector<FakeCall> out;
  for (const auto& call : m_calls) {
    if (operation.empty() || call.operation == operation) out.push_back(call);
  }
  return out;
}

void FakeRegistry::record(FakeCall call) {
  if (before_call) before_call(call.operation, call.repository);
  std::lock_guard lock(m_mutex);
  m_calls.push_back(std::move(call));
}

Result<std::vector<RepositoryInfo>> FakeRegistry::list_repositories() {
  record({"list_repositories", "", {}});
  ActiveCall active(*this);
  std::lock_guard lock(m_mutex);
  std::vector<RepositoryInfo> out;
  for (const auto& [name, images] : m_repositories) out.push_back({name, "123456789012", ""});
  return out;
}

Result<std::vector<ImageRecord>> FakeRegistry::list_images(const std::string& repository) {
  record({"list_images", repository, {}});
  ActiveCall active(*this);
  std::lock_guard lock(m_mutex);
  if (fail_listing.count(repository)) {
    return make_error(ErrorCode::transient, "list_images " + repository + ": injected fault");
  }
  const auto it = m_repositories.find(repository);
  if (it == m_repositories.end())
    return make_error(ErrorCode::not_found, repository + ": no such repository");
  return it->second;
}

Result<std::vector<ImageRecord>> FakeRegistry::describe_images(
    const std::string& repository, const std::vector<std::string>& digests) {
  std::vector<ImageId> ids;
  for (const auto& d : digests) ids.push_back({d, ""});
  record({"describe_images", repository, ids});
  ActiveCall active(*this);
  std::lock_guard lock(m_mutex);
  if (fail_describe.count(repository)) {
    return make_error(ErrorCode::transient, "describe_images " + repository + ": injected fault");
  }
  std::vector<ImageRecord> out;
  for (const auto& image : m_repositories[repository]) {
    if (std::find(digests.begin(), digests.end(), image.digest) != digests.end())
      out.push_back(image);
  }
  return out;
}

Result<DeleteOutcome> FakeRegistry::delete_images(const std::string& repository,
                                                  const std::vector<ImageId>& ids) {
  record({"delete_images", repository, ids});
  ActiveCall active(*this);
  std::lock_guard lock(m_mutex);
  auto& images = m_repositories[repository];
  DeleteOutcome outcome;
  for (const auto& id : ids) {
    auto it = std::find_if(images.begin(), images.end(), [&](const ImageRecord& image) {
      if (!id.digest.empty() && image.digest != id.digest) return false;
      return id.tag.empty() || std::count(image.tags.begin(), image.tags.end(), id.tag) > 0;
    });
    if (it == images.end()) {
      outcome.failures.push_back({id, "ImageNotFound", "Requested image not found"});
      continue;
    }
    if (fail_delete_digests.count(it->digest)) {
      outcome.failures.push_back({id, "KmsError", "injected fault"});
      continue;
    }
    if (ignore_delete_digests.count(it->digest)) continue;  // neither done nor reported
    const bool whole = id.tag.empty() || it->tags.size() == 1;
    if (whole) {
      const std::string digest = it->digest;
      const bool referenced =
          std::any_of(images.begin(), images.end(), [&](const ImageRecord& other) {
            return std::count(other.child_digests.begin(), other.child_digests.end(), digest) > 0;
          });
      if (referenced) {
        outcome.failures.push_back(
            {id, "ImageReferencedByManifestList", "Requested image referenced by manifest list"});
        continue;
      }
      outcome.deleted.push_back({digest, id.tag});
      images.erase(it);
    } else {
      it->tags.erase(std::find(it->tags.begin(), it->tags.end(), id.tag));
      outcome.deleted.push_back({it->digest, id.tag});
    }
  }
  // moto's way: deletions by digest done but not reported.
  if (!confirm_digest_deletions) {
    std::erase_if(outcome.deleted, [](const ImageId& id) { return id.tag.empty(); });
  }
  return outcome;
}

Result<std::optional<std::string>> FakeRegistry::get_lifecycle_policy(
    const std::string& repository) {
  record({"get_lifecycle_policy", repository, {}});
  std::lock_guard lock(m_mutex);
  const auto it = m_policies.find(repository);
  if (it == m_policies.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Status FakeRegistry::put_lifecycle_policy(const std::string& repository, const std::string& text) {
  record({"put_lifecycle_policy", repository, {}});
  std::lock_guard lock(m_mutex);
  m_policies[repository] = text;
  return ok_status();
}

Status FakeRegistry::delete_lifecycle_policy(const std::string& repository) {
  record({"delete_lifecycle_policy", repository, {}});
  std::lock_guard lock(m_mutex);
  m_policies.erase(repository);
  return ok_status();
}

Result<ImageStatus> FakeRegistry::update_storage_class(const std::string& repository,
                                                       const std::string& digest,
                                                       StorageClass target) {
  record({"update_storage_class", repository, {{digest, ""}}});
  ActiveCall active(*this);
  std::lock_guard lock(m_mutex);
  if (fail_storage_class.count(digest)) {
    Error error = make_error(ErrorCode::transient, "injected fault");
    error.service_code = "ServerException";
    return error;
  }
  auto& images = m_repositories[repository];
  const auto it = std::find_if(images.begin(), images.end(),
                               [&](const ImageRecord& image) { return image.digest == digest; });
  if (it == images.end()) {
    Error error = make_error(ErrorCode::conflict, "image not found");
    error.service_code = "ImageNotFoundException";
    return error;
  }
  if (target == StorageClass::archive) {
    it->status = ImageStatus::archived;
    it->last_archived_at = archive_time;
  } else if (it->status == ImageStatus::archived) {
    it->status = restore_instantly ? ImageStatus::active : ImageStatus::activating;
  }
  return it->status;
}

Status FakeRegistry::put_image(const std::string& repository, const std::string& manifest,
                               const std::string& media_type, const std::string& tag) {
  record({"put_image", repository, {{put_digest, tag}}});
  std::lock_guard lock(m_mutex);
  if (layers_gone) {
    Error error = make_error(ErrorCode::invalid_input, "layers not found");
    error.service_code = "LayersNotFoundException";
    return error;
  }
  const std::string digest =
      put_digest.empty() ? "sha256:" + std::to_string(manifest.size()) : put_digest;
  auto& images = m_repositories[repository];
  auto it = std::find_if(images.begin(), images.end(),
                         [&](const ImageRecord& image) { return image.digest == digest; });
  if (it != images.end()) {
    if (tag.empty() || std::count(it->tags.begin(), it->tags.end(), tag)) {
      Error error = make_error(ErrorCode::conflict, "image already exists");
      error.service_code = "ImageAlreadyExistsException";
      return error;
    }
    it->tags.push_back(tag);
    return ok_status();
  }
  ImageRecord image;
  image.digest = digest;
  if (!tag.empty()) image.tags.push_back(tag);
  image.manifest = manifest;
  image.manifest_media_type = media_type;
  images.push_back(std::move(image));
  return ok_status();
}

Result<std::vector<std::string>> FakeRegistry::pull_time_exclusions() {
  record({"pull_time_exclusions", "", {}});
  std::lock_guard lock(m_mutex);
  return std::vector<std::string>(exclusions.begin(), exclusions.end());
}

Status FakeRegistry::register_pull_time_exclusion(const std::string& principal_arn) {
  record({"register_pull_time_exclusion", principal_arn, {}});
  std::lock_guard lock(m_mutex);
  exclusions.insert(principal_arn);
  return ok_status();
}

Status FakeRegistry::deregister_pull_time_exclusion(const std::string& principal_arn) {
  record({"deregister_pull_time_exclusion", principal_arn, {}});
  std::lock_guard lock(m_mutex);
  exclusions.erase(principal_arn);
  return ok_status();
}

}  // namespace regsweep::testing
