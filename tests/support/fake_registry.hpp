// An in-memory Registry for unit tests, with ECR's BatchDeleteImage semantics (a tag entry removes
// the tag and the image only with its last tag; a digest entry removes the image; a child of a
// remaining index is refused with ImageReferencedByManifestList; unknown ids fail ImageNotFound).
// It records every call, tracks how many calls run at once, and injects faults, so tests can
// assert what was (not) deleted and that concurrency stayed within its limit. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "registry/registry.hpp"

namespace regsweep::testing {

struct FakeCall {
  std::string operation;  // "list_images", "describe_images", "delete_images", ...
  std::string repository;
  std::vector<ImageId> ids;  // delete_images; digests as ids for describe_images
};

class FakeRegistry final : public Registry {
 public:
  void add_repository(const std::string& name, std::vector<ImageRecord> images);
  std::vector<ImageRecord> images(const std::string& repository) const;
  std::vector<FakeCall> calls(const std::string& operation = "") const;
  int max_concurrent_calls() const { return m_max_active.load(); }

  // Faults and hooks.
  std::set<std::string> fail_listing;  // list_images fails (transient) for these repositories
  std::set<std::string> fail_delete_digests;    // delete_images reports these as KmsError
  std::set<std::string> ignore_delete_digests;  // delete_images neither deletes nor reports them
  std::set<std::string> fail_describe;          // describe_images fails for these repositories
  std::function<void(const std::string& op, const std::string& repository)> before_call;
  std::chrono::milliseconds call_delay{0};  // held inside each call, to expose overlap
  bool confirm_digest_deletions = true;     // false: like moto, deleted digests are not listed

  // Who the fake is (an ECR registry of this account and region unless a test says otherwise);
  // identity_error makes identity() fail.
  RegistryIdentity identity_value{RegistryKind::ecr, "111111111111", "us-east-1"};
  std::optional<Error> identity_error;

  std::string describe() const override { return "fake registry"; }
  Result<RegistryIdentity> identity() override {
    if (identity_error) return *identity_error;
    return identity_value;
  }
  Result<std::vector<RepositoryInfo>> list_repositories() override;
  Result<std::vector<ImageRecord>> list_images(const std::string& repository) override;
  Result<std::vector<ImageRecord>> describe_images(
      const std::string& repository, const std::vector<std::string>& digests) override;
  Result<DeleteOutcome> delete_images(const std::string& repository,
                                      const std::vector<ImageId>& ids) override;
  Result<std::optional<std::string>> get_lifecycle_policy(const std::string& repository) override;
  Status put_lifecycle_policy(const std::string& repository, const std::string& text) override;
  Status delete_lifecycle_policy(const std::string& repository) override;

 private:
  class ActiveCall;
  void record(FakeCall call);

  mutable std::mutex m_mutex;
  std::map<std::string, std::vector<ImageRecord>> m_repositories;
  std::map<std::string, std::string> m_policies;
  std::vector<FakeCall> m_calls;
  std::atomic<int> m_active{0};
  std::atomic<int> m_max_active{0};
};

}  // namespace regsweep::testing
