#include "app/delete_one_off.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "app/repository_names.hpp"
#include "plan/protect.hpp"

namespace regsweep {
namespace {

// Apply's protections on a one-off selection of one repository. An item that frees an image (a
// digest, an image's last tag, an untagged image) is subject to every protection, and the
// cascades add the untagged children of a deleted index and the referrers of a deleted subject.
// An untag that leaves the image in place is dropped only when the image is in use (a workload
// may pull it by that tag).
void protect(const Repository& live, RepositoryDeletions& deletions, const PlanOptions& options,
             std::vector<KeptImage>& kept) {
  if (!options.protect || deletions.items.empty()) return;
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < live.images.size(); ++i) index_of.emplace(live.images[i].digest, i);
  std::vector<Verdict> verdicts(live.images.size());
  std::set<std::string> freed;
  for (const auto& item : deletions.items) {
    if (!item.frees_image) continue;
    const auto it = index_of.find(item.image.digest);
    if (it == index_of.end()) continue;
    freed.insert(item.image.digest);
    verdicts[it->second].action = VerdictAction::expire;
    verdicts[it->second].reason = VerdictReason::age_exceeded;
    verdicts[it->second].rule_priority = 1;
  }
  ProtectionOptions protection = options.protection;
  protection.now = options.now;
  protection.in_use = options.in_use_for ? options.in_use_for(live) : nullptr;
  const auto protections = protect_repository(live.images, verdicts, protection);
  std::map<std::string, const Protection*> why;
  for (const auto& p : protections) why[live.images[p.image].digest] = &p;

  std::set<std::string> reported;
  const auto keep = [&](const std::string& digest, std::string reason) {
    if (reported.insert(digest).second) kept.push_back({live.name, digest, std::move(reason)});
  };
  std::erase_if(deletions.items, [&](const DeletionItem& item) {
    const auto it = index_of.find(item.image.digest);
    if (it == index_of.end()) return false;  // re-checked before deleting anyway
    if (item.frees_image) {
      if (verdicts[it->second].action == VerdictAction::expire) return false;
      const auto reason = why.find(item.image.digest);
      keep(item.image.digest,
           reason == why.end() ? "keep: protected" : explain_protection(*reason->second));
      return true;
    }
    if (protection.in_use != nullptr) {
      if (const auto use = protection.in_use->find(item.image.digest);
          use != protection.in_use->end()) {
        keep(item.image.digest, "keep: in use (" + use->second + "); its tags stay too");
        return true;
      }
    }
    return false;
  });
  // What goes with a deleted image: an index's untagged children, a subject's referrers.
  for (std::size_t i = 0; i < live.images.size(); ++i) {
    const ImageRecord& image = live.images[i];
    if (verdicts[i].action != VerdictAction::expire || freed.count(image.digest)) continue;
    const auto reason = why.find(image.digest);
    deletions.items.push_back({{image.digest, ""},
                               image,
                               true,
                               reason == why.end() ? "goes with what it belongs to"
                                                   : explain_protection(*reason->second)});
  }
}

}  // namespace

OneOffOutcome delete_one_off(const std::vector<OpenedRegistry>& opened,
                             const OneOffRequest& request, Clock& clock, Events& events) {
  OneOffOutcome outcome;
  const auto fail = [&](Error error) {
    outcome.deletion.ending = DeletionEnding::failed;
    outcome.deletion.error = std::move(error);
    return outcome;
  };
  if (auto valid = validate_selection(request.selection); !valid) return fail(valid.error());
  const auto& globs = request.repository_globs;
  if (auto named = check_named_repositories(opened.size(), globs, "delete", "--untagged"); !named)
    return fail(named.error());
  Registry& registry = *opened[0].registry;
  const RepositoryFilter filter = [globs](const std::string& name) {
    return repository_selected(globs, name);
  };
  Deleting deleting(opened, request.session, request.consent, filter, clock, events);
  if (!deleting.open_if_consented(outcome.deletion)) return outcome;

  auto resolved = resolve_repository_names(registry, globs, "--repository-name");
  if (!resolved) return fail(std::move(resolved).take_error());
  if (auto one = check_one_repository(*resolved, request.selection.untagged); !one)
    return fail(one.error());
  const bool wildcard = resolved->from_globs;
  const std::vector<std::string>& names = resolved->names;

  const EpochMillis now = clock.now();
  PlanOptions options = request.protections;
  options.now = now;
  options.protection.clock = now;
  for (const auto& name : names) {
    auto images = registry.list_images(name);
    if (!images) {
      if (!wildcard) return fail(std::move(images).take_error());
      ++outcome.skipped_repositories;
      events.warn(name + ": skipped, listing failed: " + images.error().message);
      continue;
    }
    auto plan = plan_one_off(name, *images, request.selection, now);
    if (!plan) return fail(std::move(plan).take_error());
    for (const auto& missing : plan->not_found) outcome.not_found.push_back(name + ": " + missing);
    outcome.untagged_kept += plan->protected_count;
    const Repository live{name, "", opened[0].region, std::move(images).value()};
    protect(live, plan->deletions, options, outcome.kept);
    if (!plan->deletions.items.empty()) outcome.work.push_back(std::move(plan->deletions));
  }
  if (request.on_planned) request.on_planned(outcome);
  deleting.delete_planned({outcome.work}, outcome.deletion);
  return outcome;
}

}  // namespace regsweep
