// The second half of every use case that deletes (apply, apply --plan, delete, run, the web UI):
// one consent question for the whole run (unless given up front), then the DeletionSession —
// journal, locks, each registry's identity, its leftovers settled — and the deletions, registry
// by registry, reported per item. Before consent nothing is touched, not even the journal.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/deletion_session.hpp"
#include "app/events.hpp"
#include "app/registry_sources.hpp"
#include "util/clock.hpp"

namespace regsweep {

struct ConsentRules {
  bool yes = false;  // consent given up front (--yes): the session opens before planning
  AskConsent ask;    // without `yes`: asked once when something would be deleted; unset: plan only
  // Archived images deleted within ECR's 90-day minimum are warned about, with the charge at this
  // price (plan/archive_minimum.hpp), before the question; apply --policy's plan already did.
  double archive_price_per_gb_month = 0.10;
  bool warn_early_deletions = true;
};

enum class DeletionEnding {
  nothing_to_delete,
  plan_only,   // no `yes` and nobody to ask by design (run without --yes): nothing deleted
  declined,    // asked, answered no
  cannot_ask,  // no `yes` and no terminal: refused
  failed,      // the session could not be opened: nothing deleted
  deleted,     // deletions were sent (see the report for each item)
};

struct DeletionOutcome {
  DeletionEnding ending = DeletionEnding::nothing_to_delete;
  std::optional<Error> error;  // failed: why
  ConsentQuestion asked;       // what was (or would have been) asked
  ApplyReport report;          // one outcome per item; "LABEL/NAME" with several registries
  std::vector<std::string> unidentified;  // registries whose account could not be known
};

class Deleting {
 public:
  Deleting(const std::vector<OpenedRegistry>& opened, SessionOptions session, ConsentRules rules,
           RepositoryFilter settle_filter, Clock& clock, Events& events);

  // Consent given up front: opens the session, learns identities, settles; false when the session
  // cannot be opened (outcome failed). Without `yes`: does nothing, returns true.
  bool open_if_consented(DeletionOutcome& outcome);
  // An identity already learnt (apply --plan learns them all first).
  void know_identity(std::size_t registry, RegistryIdentity identity);
  // `work[r]` are the deletions in opened[r]: asks (unless given), opens, deletes, reports.
  void delete_planned(const std::vector<std::vector<RepositoryDeletions>>& work,
                      DeletionOutcome& outcome);

 private:
  bool open(DeletionOutcome& outcome);

  const std::vector<OpenedRegistry>& m_opened;
  SessionOptions m_session_options;
  ConsentRules m_rules;
  RepositoryFilter m_filter;
  Clock& m_clock;
  Events& m_events;
  std::unique_ptr<DeletionSession> m_session;
  std::vector<std::optional<RegistryIdentity>> m_identities;
};

}  // namespace regsweep
