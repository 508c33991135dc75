// The in-use set: every image reference some source found in use, with where it was found, and
// the step that turns it into protected digests of one repository.
//
// Matching a reference to a repository (RepositoryLocation), deliberately generous, because keeping
// too much is safe and deleting a running image is not:
//   - a bare tag or digest (keep files) applies to every repository;
//   - otherwise the repository names must be equal; a reference written without a host
//     ("team/api:v1", "nginx") matches by name alone ("nginx" also matches a repository "nginx",
//     not only "library/nginx");
//   - an ECR host must agree with the repository's account and region where those are known;
//   - any other host must equal the repository's registry host, when that is known; when the
//     repository's host and account are both unknown (a snapshot that does not say), names decide.
// Resolution: a digest protects that digest; a tag protects the digest it points to in the
// inventory now ("name" alone means "name:latest"); "name:tag@digest" protects both. A tag found on
// no image, or a digest that is not in the repository, is reported as unresolved, never guessed
// (bare references are not reported per repository: they are expected to miss most repositories).
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "inuse/image_reference.hpp"
#include "model/image.hpp"

namespace regsweep {

struct InUseEntry {
  std::string raw;  // the reference as the source gave it
  std::string
      source;  // where: "kubernetes CronJob batch/report container main", "keep-file k.txt:3"
  ImageReference reference;
};

// Something a source saw but could not use (an image string that is not a reference, a task ECS
// could not describe). Shown to the user; not an error, because it cannot name one of our images.
struct InUseProblem {
  std::string source;
  std::string message;
};

struct InUseSet {
  std::vector<std::string>
      sources;  // what was scanned: "kubernetes file prod.json", "ecs eu-west-1"
  std::vector<InUseEntry> entries;
  std::vector<InUseProblem> problems;

  // Parses `raw` and appends it; invalid_input when it is not an image reference.
  Status add(std::string raw, std::string source, bool allow_bare_tag = false);
};

// Appends `other` to `into`, dropping entries whose raw text and source are already there.
void merge_in_use(InUseSet& into, const InUseSet& other);

// Where a repository lives. Empty fields are unknown.
struct RepositoryLocation {
  std::string name;           // "team/api"
  std::string registry_host;  // "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
  std::string account;        // ECR registry id
  std::string region;
};

// The location of an ECR repository of the model: host built from registry_id and region when both
// are known (".amazonaws.com.cn" for cn-* regions).
RepositoryLocation location_of(const Repository& repository);

bool reference_matches(const ImageReference& reference, const RepositoryLocation& location);

struct InUseDigest {
  std::string digest;
  std::vector<std::string> reasons;  // "in use: <source>: <raw>", one per entry that named it
};

struct UnresolvedReference {
  std::string raw;
  std::string source;
  std::string reason;  // "tag v3 is on no image of team/api"
};

struct RepositoryInUse {
  std::map<std::string, InUseDigest> in_use;  // by digest; only digests of the given images
  std::vector<UnresolvedReference> unresolved;

  bool contains(const std::string& digest) const { return in_use.count(digest) != 0; }
};

// Indexes a set by repository name once, so resolving each of many repositories is cheap. Keeps
// pointers into `set`, which must outlive the index.
class InUseIndex {
 public:
  explicit InUseIndex(const InUseSet& set);

  RepositoryInUse resolve(const RepositoryLocation& location,
                          const std::vector<ImageRecord>& images) const;

 private:
  std::unordered_map<std::string, std::vector<const InUseEntry*>> m_by_name;
  std::vector<const InUseEntry*> m_bare;
};

}  // namespace regsweep
