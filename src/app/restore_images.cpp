#include "app/restore_images.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "app/repository_names.hpp"
#include "util/glob.hpp"

namespace regsweep {
namespace {

constexpr double k_bytes_per_gb = 1024.0 * 1024.0 * 1024.0;

std::string status_text(ImageStatus status) {
  return status == ImageStatus::active ? "ACTIVE" : "ACTIVATING, already being restored";
}

}  // namespace

Status validate_restore_selection(const RestoreSelection& selection) {
  const bool named = !selection.tags.empty() || !selection.digests.empty();
  if (named && selection.archived) {
    return make_error(
        ErrorCode::invalid_input,
        "restore: --archived cannot be combined with --tag/--digest; run them separately");
  }
  if (!named && !selection.archived) {
    return make_error(ErrorCode::invalid_input,
                      "restore: nothing selected; give --tag T, --digest D or --archived");
  }
  if ((selection.older_than || selection.newer_than) && !selection.archived) {
    return make_error(ErrorCode::invalid_input,
                      "restore: --older-than/--newer-than work only with --archived; add "
                      "--archived");
  }
  return ok_status();
}

RestorePick pick_restores(const std::string& repository, const std::vector<ImageRecord>& images,
                          const RestoreSelection& selection, EpochMillis now) {
  RestorePick pick;
  pick.work.repository = repository;
  std::set<std::string> chosen;
  const auto choose = [&](const ImageRecord& image, const std::string& name, std::string reason) {
    if (image.status != ImageStatus::archived) {
      pick.not_archived.push_back(name + " (" + status_text(image.status) + ")");
      return;
    }
    if (!chosen.insert(image.digest).second) return;
    pick.work.items.push_back(
        {{image.digest, ""}, image, false, std::move(reason), ItemAction::restore});
  };
  if (selection.archived) {
    for (const auto& image : images) {
      if (image.status != ImageStatus::archived) continue;
      const EpochMillis age = now - std::max(image.pushed_at, image.last_activated_at.value_or(0));
      if (selection.older_than && age <= *selection.older_than) continue;
      if (selection.newer_than && age >= *selection.newer_than) continue;
      choose(image, image.digest, "archived");
    }
    return pick;
  }
  std::map<std::string, const ImageRecord*> by_digest, by_tag;
  for (const auto& image : images) {
    by_digest[image.digest] = &image;
    for (const auto& tag : image.tags) by_tag[tag] = &image;
  }
  for (const auto& digest : selection.digests) {
    const auto it = by_digest.find(digest);
    if (it == by_digest.end()) {
      pick.not_found.push_back(digest);
    } else {
      choose(*it->second, digest, "named by --digest");
    }
  }
  for (const auto& tag : selection.tags) {
    const auto it = by_tag.find(tag);
    if (it == by_tag.end()) {
      pick.not_found.push_back(tag);
    } else {
      choose(*it->second, tag, "named by --tag");
    }
  }
  return pick;
}

RestoreOutcome restore_images(const std::vector<OpenedRegistry>& opened,
                              const RestoreRequest& request, Clock& clock, Events& events) {
  RestoreOutcome outcome;
  const auto fail = [&](Error error) {
    outcome.deletion.ending = DeletionEnding::failed;
    outcome.deletion.error = std::move(error);
    return outcome;
  };
  if (auto valid = validate_restore_selection(request.selection); !valid)
    return fail(valid.error());
  const auto& globs = request.repository_globs;
  if (auto named = check_named_repositories(opened.size(), globs, "restore", "--archived"); !named)
    return fail(named.error());
  Registry& registry = *opened[0].registry;
  const RepositoryFilter filter = [globs](const std::string& name) {
    return repository_selected(globs, name);
  };
  Deleting deleting(opened, request.session, request.consent, filter, clock, events);
  if (!deleting.open_if_consented(outcome.deletion)) return outcome;

  auto resolved = resolve_repository_names(registry, globs, "--repository-name");
  if (!resolved) return fail(std::move(resolved).take_error());
  if (auto one = check_one_repository(*resolved, request.selection.archived); !one)
    return fail(one.error());
  const EpochMillis now = clock.now();
  for (const auto& name : resolved->names) {
    auto images = registry.list_images(name);
    if (!images) {
      if (!resolved->from_globs) return fail(std::move(images).take_error());
      ++outcome.skipped_repositories;
      events.warn(name + ": skipped, listing failed: " + images.error().message);
      continue;
    }
    RestorePick pick = pick_restores(name, *images, request.selection, now);
    for (const auto& missing : pick.not_found) outcome.not_found.push_back(name + ": " + missing);
    for (const auto& active : pick.not_archived)
      outcome.not_archived.push_back(name + ": " + active);
    for (const auto& item : pick.work.items)
      outcome.retrieval_fee += static_cast<double>(item.image.size_bytes) / k_bytes_per_gb *
                               request.retrieval_price_per_gb;
    if (!pick.work.items.empty()) outcome.work.push_back(std::move(pick.work));
  }
  if (request.on_planned) request.on_planned(outcome);
  deleting.delete_planned({outcome.work}, outcome.deletion);
  return outcome;
}

}  // namespace regsweep
