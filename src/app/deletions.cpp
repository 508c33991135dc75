#include "app/deletions.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "journal/repository_lock.hpp"
#include "util/parallel.hpp"

namespace regsweep {
namespace {

std::string join_tags(const std::vector<std::string>& tags) {
  if (tags.empty()) return "(untagged)";
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : ",") + t;
  return out;
}

bool same_tags(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

std::string error_name(const Error& error) {
  return error.service_code.empty() ? std::string(to_string(error.code)) : error.service_code;
}

// The storage class an item must still be in for its action (remove: any).
std::optional<ImageStatus> status_wanted(ItemAction action) {
  switch (action) {
    case ItemAction::archive:
      return ImageStatus::active;
    case ItemAction::restore:
      return ImageStatus::archived;
    case ItemAction::remove:
    case ItemAction::put:
      break;
  }
  return std::nullopt;
}

JournalAction journal_action(ItemAction action) {
  switch (action) {
    case ItemAction::archive:
      return JournalAction::archive;
    case ItemAction::restore:
      return JournalAction::restore;
    case ItemAction::put:
      return JournalAction::put;
    case ItemAction::remove:
      break;
  }
  return JournalAction::remove;
}

// Items in waves (indexes first — for puts, children first; within a wave deletions, then
// archives, restores and puts), each packed into batches of at most `size` items of one action
// without splitting one image's items across batches (so a re-check never sees our own earlier
// untagging).
std::vector<std::vector<const DeletionItem*>> make_batches(const std::vector<DeletionItem>& items,
                                                           std::size_t size) {
  std::vector<std::vector<const DeletionItem*>> batches;
  for (const bool first_wave : {true, false})
    for (const ItemAction action :
         {ItemAction::remove, ItemAction::archive, ItemAction::restore, ItemAction::put}) {
      const bool indexes = action == ItemAction::put ? !first_wave : first_wave;
      std::vector<std::string> order;
      std::map<std::string, std::vector<const DeletionItem*>> groups;
      for (const auto& item : items) {
        if (item.image.is_index() != indexes || item.action != action) continue;
        auto& group = groups[item.image.digest];
        if (group.empty()) order.push_back(item.image.digest);
        group.push_back(&item);
      }
      std::vector<const DeletionItem*> batch;
      for (const auto& digest : order) {
        const auto& group = groups[digest];
        if (!batch.empty() && batch.size() + group.size() > size)
          batches.push_back(std::move(batch)), batch = {};
        for (const auto* item : group) {
          // Only a group larger than a whole batch (over 100 tags of one image) is split.
          if (group.size() > size && batch.size() == size) {
            batches.push_back(std::move(batch));
            batch = {};
          }
          batch.push_back(item);
        }
      }
      if (!batch.empty()) batches.push_back(std::move(batch));
    }
  return batches;
}

bool failure_matches(const DeleteFailure& failure, const ImageId& id) {
  if (id.digest.empty() && id.tag.empty()) return false;
  return (id.digest.empty() || failure.id.digest == id.digest) &&
         (id.tag.empty() || failure.id.tag == id.tag);
}

bool deletion_confirms(const ImageId& confirmed, const DeletionItem& item) {
  if (!item.id.digest.empty()) return confirmed.digest == item.id.digest;
  return confirmed.tag == item.id.tag &&
         (confirmed.digest.empty() || confirmed.digest == item.image.digest);
}

JournalRecord journal_record(const ApplyOptions& options, const std::string& repository,
                             const DeletionItem& item, JournalKind kind) {
  JournalRecord r;
  r.kind = kind;
  r.action = journal_action(item.action);
  r.run_id = options.run_id;
  r.timestamp = options.clock->now();
  r.registry = options.registry;
  r.region = options.region;
  r.repository = repository;
  r.digest = item.image.digest;
  r.tags = item.image.tags;
  if (!item.id.tag.empty() && item.id.digest.empty()) r.tags = {item.id.tag};
  if (kind == JournalKind::intent) {
    r.pushed_at = item.image.pushed_at;
    r.size_bytes = item.image.size_bytes;
    r.reason = item.reason;
    if (!item.image.manifest_media_type.empty())
      r.manifest_media_type = item.image.manifest_media_type;
    r.manifest = item.image.manifest;
  }
  return r;
}

class RepositoryWorker {
 public:
  RepositoryWorker(Registry& registry, const RepositoryDeletions& work, const ApplyOptions& options)
      : m_registry(registry), m_work(work), m_options(options) {}

  // Runs every batch; `batch_done(n)` after each with the number of items it settled.
  std::vector<ItemOutcome> run(const std::function<void(std::size_t)>& batch_done) {
    std::optional<RepositoryLock> lock;
    if (!m_options.lock_directory.empty()) {
      auto acquired = RepositoryLock::acquire(m_options.lock_directory, m_options.registry,
                                              m_options.region, m_work.repository);
      if (!acquired) {
        const bool held = acquired.error().code == ErrorCode::conflict;
        for (const auto& item : m_work.items) {
          settle(item, ItemResult::failed, held ? "RepositoryLocked" : "LockUnavailable",
                 "repository skipped, nothing deleted: " + acquired.error().message);
        }
        batch_done(m_work.items.size());
        return std::move(m_outcomes);
      }
      lock.emplace(std::move(acquired).value());
    }
    for (const auto& batch :
         make_batches(m_work.items, std::max<std::size_t>(1, m_options.batch_size))) {
      run_batch(batch);
      flush_results();
      batch_done(batch.size());
    }
    return std::move(m_outcomes);
  }

 private:
  void settle(const DeletionItem& item, ItemResult result, std::string code, std::string detail) {
    m_outcomes.push_back({m_work.repository, item, result, std::move(code), std::move(detail)});
  }

  // A result record for an item that was sent to the registry (its intent is on record),
  // written with the rest of its batch by flush_results().
  void journal_result(const DeletionItem& item) {
    if (!m_options.journal) return;
    const ItemOutcome& o = m_outcomes.back();
    JournalRecord r = journal_record(m_options, m_work.repository, item, JournalKind::result);
    r.outcome = o.result == ItemResult::deleted    ? JournalOutcome::deleted
                : o.result == ItemResult::skipped  ? JournalOutcome::skipped
                : o.result == ItemResult::gone     ? JournalOutcome::gone
                : o.result == ItemResult::archived ? JournalOutcome::archived
                : o.result == ItemResult::restored ? JournalOutcome::restored
                                                   : JournalOutcome::failed;
    r.error_code = o.code;
    r.reason = o.detail;
    m_results.push_back(std::move(r));
  }

  void flush_results() {
    if (!m_options.journal || m_results.empty()) return;
    // A failed result append cannot undo the deletions; their intents already name them, and the
    // next run settles them.
    (void)m_options.journal->append_all(m_results);
    m_results.clear();
  }

  // False (and the batch settled as failed) when the intent records cannot be made durable.
  bool journal_intents(const std::vector<const DeletionItem*>& batch) {
    if (!m_options.journal) return true;
    std::vector<JournalRecord> records;
    records.reserve(batch.size());
    for (const auto* item : batch) {
      JournalRecord record =
          journal_record(m_options, m_work.repository, *item, JournalKind::intent);
      // A storage-class change loses nothing, and reading its manifest would be a pull.
      if (!record.manifest && item->action == ItemAction::remove) {
        if (const auto it = m_manifests.find(item->image.digest); it != m_manifests.end()) {
          record.manifest = it->second;
        } else {
          record.manifest_note =
              m_manifest_note.empty() ? "the registry returned no manifest" : m_manifest_note;
        }
      }
      records.push_back(std::move(record));
    }
    auto appended = m_options.journal->append_all(records);
    if (!appended.ok()) {
      for (const auto* failed : batch) {
        settle(*failed, ItemResult::failed, "JournalUnavailable",
               std::string(failed->action == ItemAction::remove ? "not deleted" : "not changed") +
                   ": the journal could not record it (" + appended.error().message + ")");
      }
      return false;
    }
    return true;
  }

  void run_batch(const std::vector<const DeletionItem*>& batch) {
    std::vector<const DeletionItem*> to_send = m_options.recheck ? recheck(batch) : batch;
    if (to_send.empty()) return;
    if (to_send.front()->action == ItemAction::put) {
      put_back(to_send);
      return;
    }
    if (to_send.front()->action != ItemAction::remove) {
      change_storage_class(to_send);
      return;
    }
    fetch_manifests(to_send);
    if (!journal_intents(to_send)) return;
    std::vector<ImageId> ids;
    for (const auto* item : to_send) ids.push_back(item->id);
    auto outcome = m_registry.delete_images(m_work.repository, ids);
    if (!outcome) {
      for (const auto* item : to_send) {
        settle(*item, ItemResult::failed, error_name(outcome.error()), outcome.error().message);
        journal_result(*item);
      }
      return;
    }
    std::vector<const DeletionItem*> unconfirmed;
    for (const auto* item : to_send) {
      const auto failure =
          std::find_if(outcome->failures.begin(), outcome->failures.end(),
                       [&](const DeleteFailure& f) { return failure_matches(f, item->id); });
      if (failure != outcome->failures.end()) {
        // ImageNotFound: someone (or our own retried call) removed it already
        // (docs/research/ecr-api.md §2.7).
        const auto result =
            failure->code == "ImageNotFound" ? ItemResult::gone : ItemResult::failed;
        settle(*item, result, failure->code, failure->reason);
      } else if (std::any_of(outcome->deleted.begin(), outcome->deleted.end(),
                             [&](const ImageId& d) { return deletion_confirms(d, *item); })) {
        settle(*item, ItemResult::deleted, "", "");
      } else {
        unconfirmed.push_back(item);
        continue;
      }
      journal_result(*item);
    }
    if (!unconfirmed.empty()) check_unconfirmed(unconfirmed);
  }

  // Archives or restores, one UpdateImageStorageClass call per image (the API takes one), after
  // the batch's intents are durable. ImageNotFound means it went since the re-check.
  void change_storage_class(const std::vector<const DeletionItem*>& batch) {
    m_manifests.clear();
    m_manifest_note.clear();
    if (!journal_intents(batch)) return;
    for (const auto* item : batch) {
      const bool archive = item->action == ItemAction::archive;
      auto status =
          m_registry.update_storage_class(m_work.repository, item->image.digest,
                                          archive ? StorageClass::archive : StorageClass::standard);
      if (!status) {
        const std::string code = error_name(status.error());
        const bool gone = code == "ImageNotFoundException";
        settle(*item, gone ? ItemResult::gone : ItemResult::failed, code, status.error().message);
      } else if (archive && *status == ImageStatus::archived) {
        settle(*item, ItemResult::archived, "", "");
      } else if (!archive && *status != ImageStatus::archived) {
        settle(*item, ItemResult::restored, "",
               *status == ImageStatus::activating ? "restoring (ACTIVATING)" : "");
      } else {
        settle(*item, ItemResult::failed, "UnexpectedStatus",
               "the registry answered " + std::string(to_string(*status)));
      }
      journal_result(*item);
    }
  }

  // Puts deleted images back from their manifests, one PutImage per tag (the first creates the
  // image, the others tag it), after the batch's intents are durable. A tag already on it counts
  // as put; an image there with every tag was skipped by the re-check.
  void put_back(const std::vector<const DeletionItem*>& batch) {
    m_manifests.clear();
    m_manifest_note.clear();
    if (!journal_intents(batch)) return;
    for (const auto* item : batch) {
      put_one(*item);
      journal_result(*item);
    }
  }

  void put_one(const DeletionItem& item) {
    if (!item.image.manifest) {
      settle(item, ItemResult::failed, "NoManifest",
             "the journal has no manifest of it; it cannot be put back");
      return;
    }
    std::vector<std::string> tags = item.image.tags;
    if (tags.empty()) tags.push_back("");  // untagged: one put without a tag
    std::size_t put = 0;
    for (const auto& tag : tags) {
      auto status = m_registry.put_image(m_work.repository, *item.image.manifest,
                                         item.image.manifest_media_type, tag);
      if (status) {
        ++put;
        continue;
      }
      if (status.error().service_code == "ImageAlreadyExistsException") continue;
      const std::string code = error_name(status.error());
      std::string detail = status.error().message;
      if (code == "LayersNotFoundException") {
        detail = "layers gone: ECR has removed the image's layers, so it cannot be put back (" +
                 detail + ")";
      } else if (code == "ReferencedImagesNotFoundException") {
        detail = "an image it references is gone; put that back first (" + detail + ")";
      }
      settle(item, ItemResult::failed, code, detail);
      return;
    }
    if (put == 0) {
      settle(item, ItemResult::skipped, "ImageAlreadyExists", "already there");
    } else {
      settle(item, ItemResult::restored, "", "put back");
    }
  }

  // Items the registry neither confirmed nor refused (moto answers a deletion of an untagged image
  // by digest with empty lists) are described once: absent (or, for a tag, no longer carrying it)
  // means our call removed it — it was there at the re-check right before; still there is a
  // failure. Never guessed: if the describe fails, they stay unconfirmed failures.
  void check_unconfirmed(const std::vector<const DeletionItem*>& items) {
    std::vector<std::string> digests;
    std::set<std::string> seen;
    for (const auto* item : items)
      if (seen.insert(item->image.digest).second) digests.push_back(item->image.digest);
    auto current = m_registry.describe_images(m_work.repository, digests);
    std::map<std::string, const ImageRecord*> by_digest;
    if (current) {
      for (const auto& image : *current) by_digest[image.digest] = &image;
    }
    for (const auto* item : items) {
      if (!current) {
        settle(*item, ItemResult::failed, "NotConfirmed",
               "the registry neither confirmed nor refused this deletion, and describing it "
               "again failed (" +
                   current.error().message + "); list the repository to see");
      } else if (const auto it = by_digest.find(item->image.digest); it == by_digest.end()) {
        settle(*item, ItemResult::deleted, "", "confirmed by describing it again");
      } else if (!item->id.tag.empty() &&
                 std::find(it->second->tags.begin(), it->second->tags.end(), item->id.tag) ==
                     it->second->tags.end()) {
        settle(*item, ItemResult::deleted, "", "tag removal confirmed by describing it again");
      } else {
        settle(*item, ItemResult::failed, "NotConfirmed",
               "the registry neither confirmed nor refused this deletion, and it is still there");
      }
      journal_result(*item);
    }
  }

  // The manifests the journal needs that the listing did not read (ECR reads only those of
  // indexes and artifacts). A failure is not a reason to stop: the intent says it is absent, why.
  void fetch_manifests(const std::vector<const DeletionItem*>& batch) {
    m_manifests.clear();
    m_manifest_note.clear();
    if (!m_options.journal || !m_options.fetch_manifests) return;
    std::vector<std::string> digests;
    std::set<std::string> seen;
    for (const auto* item : batch) {
      if (!item->image.manifest && seen.insert(item->image.digest).second)
        digests.push_back(item->image.digest);
    }
    if (digests.empty()) return;
    auto got = m_registry.get_manifests(m_work.repository, digests);
    if (!got) {
      m_manifest_note = "manifest not read: " + got.error().message;
      return;
    }
    m_manifests = std::move(got).value();
  }

  // Describes the batch's images afresh; returns the items still as planned.
  std::vector<const DeletionItem*> recheck(const std::vector<const DeletionItem*>& batch) {
    std::vector<std::string> digests;
    std::set<std::string> seen;
    for (const auto* item : batch) {
      if (seen.insert(item->image.digest).second) digests.push_back(item->image.digest);
    }
    auto current = m_registry.describe_images(m_work.repository, digests);
    if (!current) {
      for (const auto* item : batch) {
        settle(*item, ItemResult::failed, error_name(current.error()),
               "re-check before deleting failed, nothing deleted: " + current.error().message);
      }
      return {};
    }
    std::map<std::string, const ImageRecord*> by_digest;
    for (const auto& image : *current) by_digest[image.digest] = &image;
    std::vector<const DeletionItem*> keep;
    for (const auto* item : batch) {
      const auto it = by_digest.find(item->image.digest);
      if (item->action == ItemAction::put) {
        // Put back what is absent, or present without some of its tags.
        const bool all_there =
            it != by_digest.end() &&
            std::all_of(item->image.tags.begin(), item->image.tags.end(),
                        [&](const std::string& tag) {
                          return std::find(it->second->tags.begin(), it->second->tags.end(), tag) !=
                                 it->second->tags.end();
                        });
        if (all_there) {
          settle(*item, ItemResult::skipped, "ImageAlreadyExists", "already there");
        } else {
          keep.push_back(item);
        }
      } else if (it == by_digest.end()) {
        settle(*item, ItemResult::gone, "ImageNotFound", "no longer in the repository");
      } else if (!same_tags(it->second->tags, item->image.tags)) {
        settle(*item, ItemResult::skipped, "ChangedSincePlan",
               "tags changed since planning: " + join_tags(item->image.tags) + " -> " +
                   join_tags(it->second->tags));
      } else if (const auto wanted = status_wanted(item->action);
                 wanted && it->second->status != *wanted) {
        settle(*item, ItemResult::skipped, "StorageClassChanged",
               "now " + std::string(to_string(it->second->status)) + ", planned while " +
                   std::string(to_string(*wanted)));
      } else {
        keep.push_back(item);
      }
    }
    return keep;
  }

  Registry& m_registry;
  const RepositoryDeletions& m_work;
  const ApplyOptions& m_options;
  std::vector<ItemOutcome> m_outcomes;
  std::map<std::string, std::string> m_manifests;  // of the batch being sent, by digest
  std::string m_manifest_note;                     // why they could not be read
  std::vector<JournalRecord> m_results;            // of the batch just sent
};

}  // namespace

std::string_view to_string(ItemResult value) {
  switch (value) {
    case ItemResult::deleted:
      return "deleted";
    case ItemResult::gone:
      return "gone";
    case ItemResult::skipped:
      return "skipped";
    case ItemResult::failed:
      return "failed";
    case ItemResult::archived:
      return "archived";
    case ItemResult::restored:
      return "restored";
  }
  return "failed";
}

void count_outcome(ApplyReport& report, const ItemOutcome& outcome) {
  switch (outcome.result) {
    case ItemResult::deleted:
      ++report.deleted;
      if (outcome.item.frees_image) report.bytes_freed += outcome.item.image.size_bytes;
      break;
    case ItemResult::gone:
      ++report.gone;
      break;
    case ItemResult::skipped:
      ++report.skipped;
      break;
    case ItemResult::failed:
      ++report.failed;
      break;
    case ItemResult::archived:
      ++report.archived;
      report.bytes_archived += outcome.item.image.size_bytes;
      break;
    case ItemResult::restored:
      ++report.restored;
      report.bytes_restored += outcome.item.image.size_bytes;
      break;
  }
}

ApplyReport apply_deletions(Registry& registry, const std::vector<RepositoryDeletions>& work,
                            const ApplyOptions& options) {
  std::vector<std::vector<ItemOutcome>> per_repository(work.size());
  ApplyProgress progress;
  progress.repositories_total = work.size();
  for (const auto& repo : work) progress.items_total += repo.items.size();
  std::mutex progress_mutex;
  parallel_for(work.size(), options.concurrency, [&](std::size_t i) {
    RepositoryWorker repo_worker(registry, work[i], options);
    per_repository[i] = repo_worker.run([&](std::size_t settled) {
      std::lock_guard lock(progress_mutex);
      progress.items_done += settled;
      if (options.on_progress) options.on_progress(progress);
    });
    std::lock_guard lock(progress_mutex);
    ++progress.repositories_done;
    if (options.on_progress) options.on_progress(progress);
  });

  ApplyReport report;
  for (auto& outcomes : per_repository) {
    for (auto& outcome : outcomes) {
      count_outcome(report, outcome);
      report.outcomes.push_back(std::move(outcome));
    }
  }
  return report;
}

}  // namespace regsweep
