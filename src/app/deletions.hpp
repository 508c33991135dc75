// The apply use case: delete (or archive, or restore) planned images through a Registry,
// repositories in parallel, with the safety rules of ARCHITECTURE.md. For each batch (at most 100
// ids, never splitting one image's ids), the images are described again first; one whose tags
// changed or that is gone since planning is skipped and reported, never deleted (rule 3). Image
// indexes go in an earlier wave than other images, so ECR never refuses a child with
// ImageReferencedByManifestList because its index was deleted in the same call. Archives and
// restores (UpdateImageStorageClass, one image a call) are re-checked, journaled and locked the
// same way; the re-check also wants the storage class the plan saw (ACTIVE to archive, ARCHIVED to
// restore). They go after the deletions of their wave. Puts go children first (an index needs its
// children there), one PutImage per tag; an image already there with every tag is skipped
// (ImageAlreadyExists). Every item ends in exactly one outcome;
// nothing is guessed (rule 5). With a lock directory, a repository is worked on only while this run
// holds its lock.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/concurrency.hpp"
#include "journal/journal.hpp"
#include "model/image.hpp"
#include "registry/registry.hpp"
#include "util/clock.hpp"

namespace regsweep {

// What is done to an item: deleted (BatchDeleteImage), moved between storage classes with
// UpdateImageStorageClass — archived (a lifecycle rule's `transition`) or restored (`restore`) —
// or a deleted image put back from its journaled manifest with PutImage (`journal restore`:
// image.manifest is the body, image.tags the tags to put back, none for an untagged image).
enum class ItemAction { remove, archive, restore, put };

struct DeletionItem {
  ImageId id;               // what BatchDeleteImage is sent: a digest, or a tag to remove
  ImageRecord image;        // the image as planned (tags, size), for the re-check and the report
  bool frees_image = true;  // false when this item only removes a tag and the image stays
  std::string reason;       // why it goes (rule sentence, "untagged, older than 14d", ...)
  ItemAction action = ItemAction::remove;  // archive/restore: always by digest (id.digest)
};

struct RepositoryDeletions {
  std::string repository;
  std::vector<DeletionItem> items;
};

enum class ItemResult {
  deleted,   // ECR confirmed it
  gone,      // already absent (re-check, or ImageNotFound): nothing freed by us, nothing failed
  skipped,   // changed since planning (tags, or storage class); left alone on purpose
  failed,    // ECR or the network refused; `code` and `detail` say why
  archived,  // ECR answered ARCHIVED
  restored,  // ECR answered ACTIVATING or ACTIVE (a restore takes up to about 20 minutes), or
             // the image was put back (journal restore)
};

struct ItemOutcome {
  std::string repository;
  DeletionItem item;
  ItemResult result = ItemResult::failed;
  std::string code;    // ECR failureCode or error name, for failed/gone/skipped
  std::string detail;  // human text
};

struct ApplyReport {
  std::vector<ItemOutcome> outcomes;  // grouped by repository, in input order
  std::size_t deleted = 0, gone = 0, skipped = 0, failed = 0, archived = 0, restored = 0;
  std::uint64_t bytes_freed = 0;     // sizes of images actually removed (frees_image && deleted)
  std::uint64_t bytes_archived = 0;  // sizes of images moved to the archive storage class
  std::uint64_t bytes_restored = 0;  // sizes of images brought back to standard storage
  bool any_failed() const { return failed > 0; }
};

struct ApplyProgress {
  std::size_t items_done = 0;
  std::size_t items_total = 0;
  std::size_t repositories_done = 0;
  std::size_t repositories_total = 0;
};

struct ApplyOptions {
  int concurrency = k_default_concurrency;  // repositories worked on at once (app/concurrency.hpp)
  std::size_t batch_size = 100;
  bool recheck = true;  // describe each batch again right before deleting it (safety rule 3)
  // Called after each batch, from worker threads, one call at a time.
  std::function<void(const ApplyProgress&)> on_progress;
  // Safety rule 4: with a journal, every item sent to the registry gets an intent record before
  // the call and a result record after it, a batch's intents in one durable append and its
  // results in another (group commit). A batch whose intents cannot be written is not sent (its
  // items fail with JournalUnavailable).
  Journal* journal = nullptr;
  std::string run_id;
  std::string registry;  // the registry's account (RegistryIdentity), for records and locks
  std::string region;
  Clock* clock = &system_clock();  // timestamps of the records
  // With a journal, manifests not already read while listing are fetched (Registry::get_manifests)
  // right before the batch and journaled with the intent; one that cannot be read is journaled as
  // absent with a note, never guessed.
  bool fetch_manifests = true;
  // Non-empty: each repository's RepositoryLock (journal/repository_lock.hpp) is taken in this
  // directory before anything is deleted in it. A repository another run holds is not waited on:
  // its items fail with code "RepositoryLocked" and nothing is sent for it.
  std::string lock_directory;
};

ApplyReport apply_deletions(Registry& registry, const std::vector<RepositoryDeletions>& work,
                            const ApplyOptions& options);

// "deleted", "gone", "skipped", "failed", "archived", "restored"
std::string_view to_string(ItemResult value);
// Adds one outcome to the counters (not to `outcomes`).
void count_outcome(ApplyReport& report, const ItemOutcome& outcome);

}  // namespace regsweep
