// Undo from the journal (`regsweep journal restore`): deleted images put back with PutImage from
// the manifests the journal kept, with the tags they had. The journal's deletions (results
// "deleted", with their intents' manifests) of the opened registry's account and region are
// selected by run, repository glob and digest; a tag that another image carries now is not moved
// back (reported instead). Then the same consent rule, journal (action "put"), locks and re-check
// as every deletion (app/deleting.hpp): images already there are reported as such, and ECR's
// LayersNotFoundException (the layers were removed since; ECR garbage-collects the layers of
// deleted images after a while) as "layers gone".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/deleting.hpp"
#include "journal/journal.hpp"

namespace regsweep {

struct JournalUndoFilter {
  std::string run_id;                         // empty: every run
  std::vector<std::string> repository_globs;  // empty: every repository
  std::vector<std::string> digests;           // empty: every image
};

struct UndoableDeletion {
  std::string repository;
  ImageRecord image;   // digest, tags (the union of every deletion of it), manifest, media type
  std::string run_id;  // the run that deleted it last
};

struct JournalUndo {
  std::vector<UndoableDeletion> images;       // in journal order of their last deletion
  std::vector<std::string> without_manifest;  // "REPOSITORY DIGEST": deleted, manifest not kept
};

// Pure: the deletions `records` hold for `registry`/`region` (journal keys) that `filter` selects.
JournalUndo undoable_deletions(const std::vector<JournalRecord>& records,
                               const std::string& registry, const std::string& region,
                               const JournalUndoFilter& filter);

struct JournalRestoreOutcome;

struct JournalRestoreRequest {
  JournalUndoFilter filter;
  SessionOptions session;  // its journal is the one read
  ConsentRules consent;
  std::function<void(const JournalRestoreOutcome&)> on_planned;  // the preview
};

struct JournalRestoreOutcome {
  std::vector<RepositoryDeletions> work;      // ItemAction::put
  std::vector<std::string> without_manifest;  // cannot be put back
  std::vector<std::string> tags_moved;        // "REPOSITORY:TAG now on DIGEST": left there
  DeletionOutcome deletion;
};

// `opened` holds the one registry to put images back into.
JournalRestoreOutcome restore_from_journal(const std::vector<OpenedRegistry>& opened,
                                           const JournalRestoreRequest& request, Clock& clock,
                                           Events& events);

}  // namespace regsweep
