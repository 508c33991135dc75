#include "app/policy_fleet.hpp"

#include <algorithm>
#include <functional>
#include <mutex>
#include <set>

#include "policy/parse.hpp"
#include "util/glob.hpp"
#include "util/parallel.hpp"

namespace regsweep {
namespace {

struct WorkItem {
  const FleetTarget* target;
  std::string repository;
};

// The repositories of every target that the selection matches. Targets that cannot be listed are
// reported and contribute nothing.
std::vector<WorkItem> list_work(const std::vector<FleetTarget>& targets,
                                const RepositorySelection& selection,
                                std::vector<std::string>& listing_errors) {
  std::vector<WorkItem> work;
  for (const auto& target : targets) {
    auto repositories = target.registry->list_repositories();
    if (!repositories) {
      listing_errors.push_back(target.label + ": " + repositories.error().message);
      continue;
    }
    for (const auto& repository : *repositories) {
      if (selection.matches(repository.name)) work.push_back({&target, repository.name});
    }
  }
  return work;
}

void sort_results(std::vector<RepositoryPolicyResult>& results) {
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) {
    return std::tie(a.target, a.repository) < std::tie(b.target, b.repository);
  });
}

// Repositories that match now but were not in the work list: created while we ran.
std::vector<std::string> find_new_repositories(const std::vector<FleetTarget>& targets,
                                               const RepositorySelection& selection,
                                               const std::vector<WorkItem>& work) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& item : work) seen.emplace(item.target->label, item.repository);
  std::vector<std::string> appeared;
  for (const auto& target : targets) {
    auto repositories = target.registry->list_repositories();
    if (!repositories) continue;  // already reported by the first listing, or transient now
    for (const auto& repository : *repositories) {
      if (selection.matches(repository.name) && !seen.count({target.label, repository.name})) {
        appeared.push_back(target.label + "/" + repository.name);
      }
    }
  }
  return appeared;
}

}  // namespace

std::string_view to_string(FleetOutcome outcome) {
  switch (outcome) {
    case FleetOutcome::unchanged:
      return "unchanged";
    case FleetOutcome::would_change:
      return "would change";
    case FleetOutcome::changed:
      return "changed";
    case FleetOutcome::failed:
      return "failed";
  }
  return "failed";
}

std::size_t FleetReport::count(FleetOutcome outcome) const {
  return static_cast<std::size_t>(std::count_if(
      results.begin(), results.end(), [&](const auto& r) { return r.outcome == outcome; }));
}

std::size_t FleetReport::count(PolicyChange change) const {
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(), [&](const auto& r) {
    return r.outcome != FleetOutcome::failed && r.change == change;
  }));
}

FleetReport put_policy_fleet(const std::vector<FleetTarget>& targets, const Policy& wanted,
                             const std::string& wanted_text, const FleetOptions& options) {
  FleetReport report;
  const auto work = list_work(targets, options.repositories, report.listing_errors);
  report.results.resize(work.size());
  parallel_for(work.size(), options.concurrency, [&](std::size_t i) {
    const WorkItem& item = work[i];
    RepositoryPolicyResult& result = report.results[i];
    result.target = item.target->label;
    result.repository = item.repository;
    auto current_text = item.target->registry->get_lifecycle_policy(item.repository);
    if (!current_text) {
      result.outcome = FleetOutcome::failed;
      result.error = "reading the current policy: " + current_text.error().message;
      return;
    }
    std::optional<Policy> current;
    if (*current_text) {
      auto parsed = parse_policy(**current_text, item.repository + " (installed policy)");
      if (parsed) {
        current = std::move(parsed).value();
      } else {
        // An installed policy we cannot read is replaced, and the diff says why.
        current = Policy{};
        result.diff.push_back("~ the installed policy does not parse here: " +
                              parsed.error().message);
      }
    }
    const PolicyDiff diff = diff_policies(current, wanted);
    result.change = diff.change;
    result.diff.insert(result.diff.end(), diff.lines.begin(), diff.lines.end());
    if (diff.change == PolicyChange::unchanged) {
      result.outcome = FleetOutcome::unchanged;
      return;
    }
    if (!options.write) {
      result.outcome = FleetOutcome::would_change;
      return;
    }
    auto put = item.target->registry->put_lifecycle_policy(item.repository, wanted_text);
    if (!put) {
      result.outcome = FleetOutcome::failed;
      result.error = put.error().message;
      return;
    }
    result.outcome = FleetOutcome::changed;
  });
  sort_results(report.results);
  if (options.write)
    report.appeared_during_run = find_new_repositories(targets, options.repositories, work);
  return report;
}

FleetReport delete_policy_fleet(const std::vector<FleetTarget>& targets,
                                const FleetOptions& options) {
  FleetReport report;
  const auto work = list_work(targets, options.repositories, report.listing_errors);
  report.results.resize(work.size());
  parallel_for(work.size(), options.concurrency, [&](std::size_t i) {
    const WorkItem& item = work[i];
    RepositoryPolicyResult& result = report.results[i];
    result.target = item.target->label;
    result.repository = item.repository;
    auto current = item.target->registry->get_lifecycle_policy(item.repository);
    if (!current) {
      result.outcome = FleetOutcome::failed;
      result.error = current.error().message;
      return;
    }
    if (!*current) return;  // nothing installed: unchanged
    result.change = PolicyChange::update;
    result.diff.push_back("- the installed policy");
    if (!options.write) {
      result.outcome = FleetOutcome::would_change;
      return;
    }
    auto deleted = item.target->registry->delete_lifecycle_policy(item.repository);
    result.outcome = deleted ? FleetOutcome::changed : FleetOutcome::failed;
    if (!deleted) result.error = deleted.error().message;
  });
  sort_results(report.results);
  return report;
}

std::vector<InstalledPolicy> get_policies_fleet(const std::vector<FleetTarget>& targets,
                                                const FleetOptions& options,
                                                std::vector<std::string>& listing_errors) {
  const auto work = list_work(targets, options.repositories, listing_errors);
  std::vector<InstalledPolicy> out(work.size());
  parallel_for(work.size(), options.concurrency, [&](std::size_t i) {
    out[i].target = work[i].target->label;
    out[i].repository = work[i].repository;
    auto text = work[i].target->registry->get_lifecycle_policy(work[i].repository);
    if (text) {
      out[i].text = *text;
    } else {
      out[i].error = text.error().message;
    }
  });
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.target, a.repository) < std::tie(b.target, b.repository);
  });
  return out;
}

}  // namespace regsweep
