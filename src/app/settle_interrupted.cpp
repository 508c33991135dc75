#include "app/settle_interrupted.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "journal/repository_lock.hpp"

namespace regsweep {
namespace {

JournalRecord result_for(const JournalRecord& intent, const ReconcileOptions& options,
                         JournalOutcome outcome, std::string code, std::string reason) {
  JournalRecord r;
  r.kind = JournalKind::result;
  r.run_id = intent.run_id;  // closes that run's intent
  r.timestamp = options.clock->now();
  r.registry = intent.registry;
  r.region = intent.region;
  r.repository = intent.repository;
  r.digest = intent.digest;
  r.tags = intent.tags;
  r.action = intent.action;
  r.outcome = outcome;
  r.error_code = std::move(code);
  r.reason = std::move(reason) + " (reconciled by run " + options.run_id + ")";
  return r;
}

// The result closing one open intent, from what the registry shows now (`now`: null when the
// image is absent).
JournalRecord settle_one(const JournalRecord& intent, const ImageRecord* now,
                         const ReconcileOptions& options, ReconcileReport& report) {
  switch (intent.action) {
    case JournalAction::archive:
    case JournalAction::restore: {
      const bool archive = intent.action == JournalAction::archive;
      if (!now) {
        ++report.gone;
        return result_for(intent, options, JournalOutcome::gone, "",
                          "gone (confirmed after interruption)");
      }
      const bool archived = now->status == ImageStatus::archived;
      if (archive == archived) {
        ++report.changed;
        return result_for(
            intent, options, archive ? JournalOutcome::archived : JournalOutcome::restored, "",
            std::string(archive ? "archived" : "restored") + " (confirmed after interruption)");
      }
      ++report.not_deleted;
      return result_for(intent, options, JournalOutcome::failed, "Interrupted",
                        std::string(archive ? "not archived" : "not restored") +
                            ": unchanged after interruption");
    }
    case JournalAction::put:
      if (now) {
        ++report.changed;
        return result_for(intent, options, JournalOutcome::restored, "",
                          "present (confirmed after interruption)");
      }
      ++report.not_deleted;
      return result_for(intent, options, JournalOutcome::failed, "Interrupted",
                        "not put back: still absent after interruption");
    case JournalAction::remove:
      break;
  }
  if (!now) {
    ++report.gone;
    return result_for(intent, options, JournalOutcome::gone, "",
                      "gone (confirmed after interruption)");
  }
  if (!intent.tags.empty() &&
      std::none_of(intent.tags.begin(), intent.tags.end(), [&](const std::string& t) {
        return std::find(now->tags.begin(), now->tags.end(), t) != now->tags.end();
      })) {
    ++report.gone;
    return result_for(intent, options, JournalOutcome::gone, "",
                      "tags gone, image kept (confirmed after interruption)");
  }
  ++report.not_deleted;
  return result_for(intent, options, JournalOutcome::failed, "Interrupted",
                    "not deleted: still present after interruption");
}

}  // namespace

ReconcileReport reconcile_interrupted(Registry& registry, const std::vector<JournalRecord>& records,
                                      Journal& journal, const ReconcileOptions& options) {
  ReconcileReport report;
  std::map<std::string, std::vector<const JournalRecord*>> by_repository;
  for (const std::size_t i : open_intents(records)) {
    const JournalRecord& intent = records[i];
    if (intent.registry != options.registry || intent.region != options.region) continue;
    const bool listed = options.repositories.count(intent.repository) > 0;
    const bool selected = options.selects && options.selects(intent.repository);
    const bool everything = options.repositories.empty() && !options.selects;
    if (!listed && !selected && !everything) continue;
    by_repository[intent.repository].push_back(&intent);
  }
  for (const auto& entry : by_repository) {
    // Named references, not structured bindings: clang 14 (the fuzz build) cannot capture those.
    const std::string& repository = entry.first;
    const auto& intents = entry.second;
    auto leave_open = [&](const std::string& why) {
      report.left_open += intents.size();
      report.problems.push_back(repository + ": " + std::to_string(intents.size()) +
                                " interrupted deletions left open: " + why);
    };
    // A run still holding the lock may be the one that wrote these intents, still working.
    std::optional<RepositoryLock> lock;
    if (!options.lock_directory.empty()) {
      auto acquired = RepositoryLock::acquire(options.lock_directory, options.registry,
                                              options.region, repository);
      if (!acquired) {
        leave_open(acquired.error().message);
        continue;
      }
      lock.emplace(std::move(acquired).value());
    }
    std::vector<std::string> digests;
    for (const auto* intent : intents) {
      if (std::find(digests.begin(), digests.end(), intent->digest) == digests.end())
        digests.push_back(intent->digest);
    }
    auto current = registry.describe_images(repository, digests);
    if (!current) {
      leave_open(current.error().message);
      continue;
    }
    for (const auto* intent : intents) {
      const auto found =
          std::find_if(current->begin(), current->end(),
                       [&](const ImageRecord& image) { return image.digest == intent->digest; });
      JournalRecord result =
          settle_one(*intent, found == current->end() ? nullptr : &*found, options, report);
      if (auto appended = journal.append(result); !appended) {
        report.problems.push_back(repository + ": " + appended.error().message);
      }
    }
  }
  return report;
}

}  // namespace regsweep
