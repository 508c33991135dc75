#include "app/deleting.hpp"

#include "plan/archive_minimum.hpp"
#include "plan/plan_warnings.hpp"
#include "util/size.hpp"

namespace regsweep {

Deleting::Deleting(const std::vector<OpenedRegistry>& opened, SessionOptions session,
                   ConsentRules rules, RepositoryFilter settle_filter, Clock& clock, Events& events)
    : m_opened(opened),
      m_session_options(std::move(session)),
      m_rules(std::move(rules)),
      m_filter(std::move(settle_filter)),
      m_clock(clock),
      m_events(events),
      m_identities(opened.size()) {}

void Deleting::know_identity(std::size_t registry, RegistryIdentity identity) {
  m_identities.at(registry) = std::move(identity);
}

bool Deleting::open_if_consented(DeletionOutcome& outcome) {
  return !m_rules.yes || open(outcome);
}

bool Deleting::open(DeletionOutcome& outcome) {
  if (m_session) return true;
  auto session = DeletionSession::open(m_session_options, m_clock);
  if (!session) {
    outcome.ending = DeletionEnding::failed;
    outcome.error = std::move(session).take_error();
    return false;
  }
  m_session = std::move(session).value();
  for (std::size_t r = 0; r < m_opened.size(); ++r) {
    if (!m_identities[r]) {
      auto identity = m_opened[r].registry->identity();
      if (!identity) {
        outcome.unidentified.push_back(m_opened[r].label);
        m_events.warn("registry " + m_opened[r].label + ": cannot tell which account it is (" +
                      identity.error().message + "); nothing is deleted there");
        continue;
      }
      m_identities[r] = std::move(identity).value();
    }
    m_session->settle(*m_opened[r].registry, *m_identities[r], m_filter, m_events);
  }
  return true;
}

void Deleting::delete_planned(const std::vector<std::vector<RepositoryDeletions>>& work,
                              DeletionOutcome& outcome) {
  ConsentQuestion& question = outcome.asked;
  const EpochMillis now = m_clock.now();
  for (const auto& registry_work : work) {
    question.repositories += registry_work.size();
    for (const auto& repo : registry_work) {
      for (const auto& item : repo.items) {
        switch (item.action) {
          case ItemAction::remove:
            ++question.images;
            if (item.frees_image) question.bytes += item.image.size_bytes;
            if (const auto early =
                    item.frees_image
                        ? early_deletion(item.image, now, m_rules.archive_price_per_gb_month)
                        : std::nullopt) {
              ++question.early_deletions;
              question.early_deletion_charge += early->charge;
            }
            break;
          case ItemAction::archive:
            ++question.archives;
            question.bytes_archived += item.image.size_bytes;
            break;
          case ItemAction::restore:
          case ItemAction::put:
            ++question.restores;
            question.bytes_restored += item.image.size_bytes;
            break;
        }
      }
    }
  }
  question.where = m_opened.size() == 1 ? m_opened[0].registry->describe()
                                        : counted(m_opened.size(), "registry", "registries");
  if (question.early_deletions > 0 && m_rules.warn_early_deletions) {
    PlanTotals early;
    early.early_deletions = question.early_deletions;
    early.early_deletion_charge = question.early_deletion_charge;
    for (const auto& warning : plan_warnings(early)) m_events.warn(warning);
  }
  if (question.changes() == 0) {
    outcome.ending = DeletionEnding::nothing_to_delete;
    return;
  }
  if (!m_session && !m_rules.yes) {
    if (!m_rules.ask) {
      outcome.ending = DeletionEnding::plan_only;
      return;
    }
    switch (m_rules.ask(question)) {
      case Consent::granted:
        break;
      case Consent::declined:
        outcome.ending = DeletionEnding::declined;
        return;
      case Consent::cannot_ask:
        outcome.ending = DeletionEnding::cannot_ask;
        return;
    }
  }
  if (!open(outcome)) return;
  const bool several = m_opened.size() > 1;
  for (std::size_t r = 0; r < m_opened.size() && r < work.size(); ++r) {
    if (work[r].empty()) continue;
    const std::string prefix = several ? m_opened[r].label + "/" : "";
    if (!m_identities[r]) {
      for (const auto& repo : work[r]) {
        for (const auto& item : repo.items) {
          outcome.report.outcomes.push_back({prefix + repo.repository, item, ItemResult::failed,
                                             "RegistryUnknown",
                                             "not deleted: the registry's account is unknown"});
          ++outcome.report.failed;
        }
      }
      continue;
    }
    const std::string label = several ? m_opened[r].label : "";
    ApplyReport report = m_session->delete_images(
        *m_opened[r].registry, *m_identities[r], work[r], [&](const ApplyProgress& p) {
          m_events.progress({Progress::Phase::deleting, label, p.items_done, p.items_total,
                             p.repositories_done, p.repositories_total});
        });
    for (auto& item : report.outcomes) {
      item.repository = prefix + item.repository;
      count_outcome(outcome.report, item);
      outcome.report.outcomes.push_back(std::move(item));
    }
  }
  outcome.ending = DeletionEnding::deleted;
}

}  // namespace regsweep
