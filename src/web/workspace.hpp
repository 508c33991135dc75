// What the UI server knows and does (issue 14): the opened registries, what was listed in them
// (app/browse.hpp), the plans of the current policy mode — each repository's installed policy
// (`policy preview`) or one chosen policy (`plan`) — and the use cases behind every button:
// validate/preview/diff/install a policy (policy/parse, app/policy_fleet), preview and run a
// deletion (app/delete_one_off: apply's protections and the one deletion session: journal, locks,
// re-check), read the journal (app/journal_view). Answers are JSON documents for the page.
//
// Threads: HTTP handlers call in concurrently. Views read the state under m_mutex (short: plans
// and rows are computed once per change); everything that talks to a registry (listing, deleting,
// writing policies) runs one at a time under m_registry_mutex, so a deletion's re-check and the
// listing after it are never interleaved with another change from this UI.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/browse.hpp"
#include "app/journal_view.hpp"
#include "app/policy_file.hpp"
#include "app/protections.hpp"
#include "app/registry_sources.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"
#include "web/image_rows.hpp"

namespace regsweep::web {

struct WorkspaceConfig {
  PlanOptions plan;  // now, prices, repository globs, protection guards, in_use_for
  std::shared_ptr<LoadedProtections> protections;  // keeps plan.in_use_for's data alive
  std::optional<PolicyFile> policy;                // --policy: the chosen policy at start
  std::string journal;                             // --journal ("": the state directory's)
  int concurrency = 4;
  GetEnv env = process_env();
  std::string source;  // "snapshot FILE", "ECR ..." for the page's header
};

// An answer: a JSON body and its HTTP status.
struct Answer {
  int status = 200;
  nlohmann::json body;
};
Answer error_answer(int status, const std::string& message);

class Workspace {
 public:
  Workspace(WorkspaceConfig config, std::vector<OpenedRegistry> opened, Clock& clock);
  ~Workspace();

  // Lists every registry and plans (call once, e.g. on a background thread; status() tells).
  void load();
  bool read_only() const { return m_read_only; }

  Answer status();
  Answer overview();
  Answer images(std::size_t registry, const std::string& repository, const ImageQuery& query,
                bool digests_only);
  Answer search(const std::string& text, std::size_t limit);
  Answer set_mode(const std::string& mode, const std::string& text);  // "installed" | "chosen"
  Answer refresh();

  Answer validate_policy(const std::string& text);
  Answer preview_policy(const std::string& text, const nlohmann::json& repositories);
  Answer diff_policy(const std::string& text, const nlohmann::json& repositories);
  Answer put_policy(const std::string& text, const nlohmann::json& repositories,
                    const std::string& confirm);

  Answer delete_preview(std::size_t registry, const std::string& repository,
                        const std::vector<std::string>& digests);
  Answer start_delete(std::size_t registry, const std::string& repository,
                      const std::vector<std::string>& digests, const std::string& confirm,
                      std::size_t expect_items, std::uint64_t expect_bytes);
  Answer job(const std::string& id);

  Answer journal(const std::string& repository, const std::string& outcome, const std::string& run,
                 const std::string& text, std::size_t limit);

 private:
  struct RepoRef {
    std::size_t group = 0;
    std::size_t index = 0;  // into groups[group].plan.repositories
  };
  struct RegistryState {
    BrowsedRegistry browsed;
    BrowsePlan plan;
    std::map<std::string, RepoRef> repositories;                               // name -> its plan
    std::map<std::string, std::shared_ptr<const std::vector<ImageRow>>> rows;  // built lazily
  };
  struct Job;

  void replan_locked(std::size_t registry);
  const Policy* chosen_policy_locked() const;
  std::shared_ptr<const std::vector<ImageRow>> rows_locked(std::size_t registry,
                                                           const std::string& repository);
  const Repository* repository_locked(std::size_t registry, const std::string& name,
                                      const RepositoryPlan** plan, const Policy** policy);
  nlohmann::json repository_summary_locked(std::size_t registry, const Repository& repository);
  Result<std::vector<std::pair<std::size_t, std::string>>> selected_repositories(
      const nlohmann::json& repositories);
  void run_delete(std::shared_ptr<Job> job, std::size_t registry, std::string repository,
                  std::vector<std::string> digests, std::size_t expect_items,
                  std::uint64_t expect_bytes);

  WorkspaceConfig m_config;
  std::vector<OpenedRegistry> m_opened;
  Clock& m_clock;
  bool m_read_only = false;

  std::mutex m_mutex;  // guards everything below
  std::vector<RegistryState> m_registries;
  bool m_loaded = false;
  std::size_t m_listed = 0, m_to_list = 0;  // load progress
  std::vector<std::string> m_notes;
  std::optional<PolicyFile> m_chosen;  // the chosen policy (mode "chosen")
  bool m_use_chosen = false;
  std::map<std::string, std::shared_ptr<Job>> m_jobs;
  std::vector<std::thread> m_threads;
  std::uint64_t m_next_job = 1;

  std::mutex m_registry_mutex;  // one registry operation at a time
};

}  // namespace regsweep::web
