// The one-off delete use case (`regsweep delete`, the web UI's "delete selected"): by tag, by
// digest, or the untagged images (older than a duration) of the selected repositories — with
// apply's safety. The same protections and defaults as apply hold (in use, --min-age 1h by the
// real clock, never emptying a repository without allow_empty, delete limits); an image index
// takes its untagged children with it and a signature goes with its subject (never a child of an
// index that stays). Repository globs are matched here, against the listing. Then the same
// consent rule and deletion session as apply (app/deleting.hpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/deleting.hpp"
#include "app/one_off.hpp"
#include "plan/plan.hpp"

namespace regsweep {

struct OneOffRequest {
  std::vector<std::string> repository_globs;  // at least one; --tag/--digest: exactly one match
  OneOffSelection selection;
  PlanOptions protections;  // protection guards and in_use_for (app/protections.hpp)
  SessionOptions session;
  ConsentRules consent;
  std::function<void(const struct OneOffOutcome&)> on_planned;  // the preview, before the question
};

// Something the selection named that stays, and why.
struct KeptImage {
  std::string repository;
  std::string digest;
  std::string why;  // "keep: in use (k8s ...)", "keep: younger than --min-age"
};

struct OneOffOutcome {
  std::vector<RepositoryDeletions> work;  // per repository, what is (was) to be deleted
  std::vector<std::string> not_found;     // "REPOSITORY: NAME" of tags and digests not there
  std::vector<KeptImage> kept;            // named or selected, but protected
  std::size_t untagged_kept = 0;  // untagged images a kept image references (children, referrers)
  std::size_t skipped_repositories = 0;  // listing failed: nothing done there
  DeletionOutcome deletion;
};

// `opened` holds the one registry to delete from. Fails (deletion.ending failed, invalid_input)
// on a bad selection or globs that select nothing.
OneOffOutcome delete_one_off(const std::vector<OpenedRegistry>& opened,
                             const OneOffRequest& request, Clock& clock, Events& events);

}  // namespace regsweep
