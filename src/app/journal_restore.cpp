#include "app/journal_restore.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "journal/state_dir.hpp"
#include "util/glob.hpp"

namespace regsweep {
namespace {

// What ties a deletion's result to its intent (journal/open_intents.cpp does the same): run,
// repository, digest and tags (the registry and region are the caller's already).
using DeletionKey = std::tuple<std::string, std::string, std::string, std::vector<std::string>>;

DeletionKey key_of(const JournalRecord& r) {
  return {r.run_id, r.repository, r.digest, r.tags};
}

bool selected(const JournalUndoFilter& filter, const JournalRecord& r) {
  if (!filter.run_id.empty() && r.run_id != filter.run_id) return false;
  if (!filter.repository_globs.empty() &&
      !repository_selected(filter.repository_globs, r.repository))
    return false;
  return filter.digests.empty() ||
         std::find(filter.digests.begin(), filter.digests.end(), r.digest) != filter.digests.end();
}

}  // namespace

JournalUndo undoable_deletions(const std::vector<JournalRecord>& records,
                               const std::string& registry, const std::string& region,
                               const JournalUndoFilter& filter) {
  // The intent of each deletion (its manifest), then the deletions that went through.
  std::map<DeletionKey, const JournalRecord*> intents;
  std::map<std::pair<std::string, std::string>, std::size_t> index;  // (repository, digest)
  JournalUndo undo;
  std::vector<std::pair<std::string, std::string>> missing;
  for (const auto& r : records) {
    if (r.action != JournalAction::remove || r.registry != registry || r.region != region ||
        !selected(filter, r))
      continue;
    if (r.kind == JournalKind::intent) {
      intents[key_of(r)] = &r;
      continue;
    }
    if (r.outcome != JournalOutcome::deleted) continue;
    const auto intent = intents.find(key_of(r));
    const JournalRecord* source = intent == intents.end() ? nullptr : intent->second;
    const auto where = std::make_pair(r.repository, r.digest);
    auto at = index.find(where);
    if (at == index.end()) {
      at = index.emplace(where, undo.images.size()).first;
      UndoableDeletion entry;
      entry.repository = r.repository;
      entry.image.digest = r.digest;
      undo.images.push_back(std::move(entry));
    }
    UndoableDeletion& entry = undo.images[at->second];
    entry.run_id = r.run_id;
    for (const auto& tag : r.tags)
      if (std::find(entry.image.tags.begin(), entry.image.tags.end(), tag) ==
          entry.image.tags.end())
        entry.image.tags.push_back(tag);
    if (source && source->manifest) {
      entry.image.manifest = source->manifest;
      if (source->manifest_media_type)
        entry.image.manifest_media_type = *source->manifest_media_type;
      if (source->size_bytes) entry.image.size_bytes = *source->size_bytes;
      if (source->pushed_at) entry.image.pushed_at = *source->pushed_at;
    }
  }
  std::vector<UndoableDeletion> with_manifest;
  for (auto& entry : undo.images) {
    if (entry.image.manifest) {
      with_manifest.push_back(std::move(entry));
    } else {
      undo.without_manifest.push_back(entry.repository + " " + entry.image.digest);
    }
  }
  undo.images = std::move(with_manifest);
  return undo;
}

JournalRestoreOutcome restore_from_journal(const std::vector<OpenedRegistry>& opened,
                                           const JournalRestoreRequest& request, Clock& clock,
                                           Events& events) {
  JournalRestoreOutcome outcome;
  const auto fail = [&](Error error) {
    outcome.deletion.ending = DeletionEnding::failed;
    outcome.deletion.error = std::move(error);
    return outcome;
  };
  if (opened.size() != 1) {
    return fail(make_error(ErrorCode::invalid_input,
                           "journal restore works on one registry at a time; give one --region"));
  }
  Registry& registry = *opened[0].registry;
  auto identity = registry.identity();
  if (!identity) return fail(std::move(identity).take_error());
  std::string path = request.session.journal;
  if (path.empty()) {
    auto found = default_journal_path(request.session.env);
    if (!found) return fail(found.error());
    path = *found;
  }
  auto contents =
      read_journal_file(path, request.session.journal.empty() ? "journal" : "--journal");
  if (!contents) return fail(std::move(contents).take_error());
  const auto undo = undoable_deletions(contents->records, journal_registry_key(*identity),
                                       identity->region, request.filter);
  outcome.without_manifest = undo.without_manifest;

  // Tags are put back only where nobody has put them since (a tag CI moved to a newer image is
  // left there): the repositories are listed now, and the re-check covers the rest.
  std::map<std::string, std::vector<const UndoableDeletion*>> by_repository;
  for (const auto& entry : undo.images) by_repository[entry.repository].push_back(&entry);
  for (const auto& [repository, entries] : by_repository) {
    auto images = registry.list_images(repository);
    if (!images) {
      events.warn(repository + ": not restored, listing failed: " + images.error().message);
      continue;
    }
    std::map<std::string, std::string> tag_owner;
    for (const auto& image : *images)
      for (const auto& tag : image.tags) tag_owner[tag] = image.digest;
    RepositoryDeletions work{repository, {}};
    for (const auto* entry : entries) {
      ImageRecord image = entry->image;
      std::erase_if(image.tags, [&](const std::string& tag) {
        const auto owner = tag_owner.find(tag);
        if (owner == tag_owner.end() || owner->second == image.digest) return false;
        outcome.tags_moved.push_back(repository + ":" + tag + " now on " + owner->second);
        return true;
      });
      work.items.push_back(
          {{image.digest, ""}, image, false, "deleted by run " + entry->run_id, ItemAction::put});
    }
    if (!work.items.empty()) outcome.work.push_back(std::move(work));
  }
  if (request.on_planned) request.on_planned(outcome);
  Deleting deleting(
      opened, request.session, request.consent,
      [&](const std::string& name) { return by_repository.count(name) > 0; }, clock, events);
  deleting.know_identity(0, *identity);
  deleting.delete_planned({outcome.work}, outcome.deletion);
  return outcome;
}

}  // namespace regsweep
