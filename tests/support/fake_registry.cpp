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

}  // namespace regsweep::testing
