// The one interface every registry backend implements: a snapshot file, ECR over its API, any OCI
// registry. Backends return complete answers or an error: list_images() either returns every image
// of the repository (all pages) or fails, so nobody evaluates a partial listing (ARCHITECTURE.md
// safety rule 1). Backends never include policy/ or plan/.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/image.hpp"
#include "util/result.hpp"

namespace regsweep {

struct ImageId {
  std::string digest;  // may be empty when deleting by tag
  std::string tag;     // may be empty when deleting by digest
};

struct DeleteFailure {
  ImageId id;
  std::string code;    // ECR failureCode, e.g. "ImageNotFound"
  std::string reason;  // failureReason
};

struct DeleteOutcome {
  std::vector<ImageId> deleted;
  std::vector<DeleteFailure> failures;
};

struct RepositoryInfo {
  std::string name;
  std::string registry_id;
  std::string uri;  // e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app
};

// Who a registry is: what saved plans are matched by, and (ARCHITECTURE.md) what locks and
// journal records are keyed by — never a display string.
enum class RegistryKind { ecr, snapshot };
std::string_view to_string(RegistryKind kind);  // "ecr", "snapshot"

struct RegistryIdentity {
  RegistryKind kind = RegistryKind::ecr;
  std::string account;  // ECR: the registry's account id; a snapshot: empty
  std::string region;   // ECR: its region; a snapshot: empty
  bool operator==(const RegistryIdentity&) const = default;
};

class Registry {
 public:
  virtual ~Registry() = default;

  // Who this registry is. An ECR registry knows its account from --registry-id or a role, or
  // learns it (from a listing, else from the caller's identity); when it cannot be known this
  // fails, and callers that need it refuse to act.
  virtual Result<RegistryIdentity> identity() = 0;

  // A human name for messages: "snapshot demo.json", "ECR 123456789012 eu-west-1".
  virtual std::string describe() const = 0;

  // A registry that holds its whole Inventory in memory already (a snapshot file) shares it here,
  // so that planning a million images does not copy them through list_images(); others: null.
  virtual std::shared_ptr<const Inventory> loaded_inventory() const { return nullptr; }

  virtual Result<std::vector<RepositoryInfo>> list_repositories() = 0;
  // Every image of the repository, with child_digests/subject_digest filled in from the manifests
  // of image indexes and artifacts. Fails whole if any page or manifest read fails.
  virtual Result<std::vector<ImageRecord>> list_images(const std::string& repository) = 0;
  // Images by digest, described afresh (used to re-check right before deleting).
  virtual Result<std::vector<ImageRecord>> describe_images(
      const std::string& repository, const std::vector<std::string>& digests) = 0;
  // The manifest bodies of these images, by digest, for the journal (ARCHITECTURE.md safety rule
  // 4). Digests the registry did not return are absent from the map. Backends that cannot read
  // manifests keep this default, which fails; callers journal the manifest as absent then.
  virtual Result<std::map<std::string, std::string>> get_manifests(
      const std::string& repository, const std::vector<std::string>& digests) {
    (void)digests;
    return make_error(ErrorCode::invalid_input,
                      describe() + ": " + repository + ": this source cannot read manifests");
  }
  // At most 100 ids per call for ECR; backends split larger requests themselves.
  virtual Result<DeleteOutcome> delete_images(const std::string& repository,
                                              const std::vector<ImageId>& ids) = 0;

  // Lifecycle policies: nullopt when the repository has none. Backends without lifecycle policies
  // (OCI) return an invalid_input error naming the backend.
  virtual Result<std::optional<std::string>> get_lifecycle_policy(
      const std::string& repository) = 0;
  virtual Status put_lifecycle_policy(const std::string& repository,
                                      const std::string& policy_text) = 0;
  virtual Status delete_lifecycle_policy(const std::string& repository) = 0;

  // --- The rest of ECR (issue 13). Backends without it keep these defaults, which fail naming
  // the backend: nothing is ever pretended.

  // UpdateImageStorageClass: archives an active image now (ARCHIVED), or restores an archived one
  // (ACTIVATING, then ACTIVE within about 20 minutes). One image a call. The status ECR answers.
  virtual Result<ImageStatus> update_storage_class(const std::string& repository,
                                                   const std::string& digest, StorageClass target) {
    (void)digest;
    (void)target;
    return unsupported(repository, "has no storage classes");
  }
  // PutImage: an image re-created from its manifest body (journal restore), with `tag` or
  // untagged. ImageAlreadyExistsException, LayersNotFoundException (the registry removed the
  // layers) come back as errors with that service_code.
  virtual Status put_image(const std::string& repository, const std::string& manifest,
                           const std::string& media_type, const std::string& tag) {
    (void)manifest;
    (void)media_type;
    (void)tag;
    return unsupported(repository, "cannot put images back");
  }
  // Pull-time update exclusions of the registry (per account and region): the principals whose
  // pulls do not update lastRecordedPullTime.
  virtual Result<std::vector<std::string>> pull_time_exclusions() {
    return unsupported("", "has no pull-time update exclusions");
  }
  virtual Status register_pull_time_exclusion(const std::string& principal_arn) {
    (void)principal_arn;
    return unsupported("", "has no pull-time update exclusions");
  }
  virtual Status deregister_pull_time_exclusion(const std::string& principal_arn) {
    (void)principal_arn;
    return unsupported("", "has no pull-time update exclusions");
  }

 protected:
  Error unsupported(const std::string& repository, const std::string& what) const {
    return make_error(ErrorCode::invalid_input,
                      describe() + (repository.empty() ? "" : ": " + repository) + ": " + what);
  }
};

}  // namespace regsweep
