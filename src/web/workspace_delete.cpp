// "Delete selected": the impact first, then the deletion itself — both through
// app/delete_one_off (the use case of `regsweep delete --digest`), so the UI deletes with apply's
// protections and the one deletion session (journal, lock, re-check, settling), exactly as the CLI
// would. The impact is delete_one_off without consent (it plans and stops: nothing touched, not
// even the journal). The deletion asks its consent question of a callback that grants only what
// the person confirmed: if the fresh listing makes the deletion larger or smaller than the impact
// they saw, nothing is deleted and they are asked to look again.
#include <algorithm>
#include <set>

#include "app/delete_one_off.hpp"
#include "registry/forwarding_registry.hpp"
#include "web/image_rows.hpp"
#include "web/workspace.hpp"

namespace regsweep::web {
namespace {

using nlohmann::json;

std::string_view to_text(DeletionEnding ending) {
  switch (ending) {
    case DeletionEnding::nothing_to_delete:
      return "nothing_to_delete";
    case DeletionEnding::plan_only:
      return "plan_only";
    case DeletionEnding::declined:
      return "declined";
    case DeletionEnding::cannot_ask:
      return "cannot_ask";
    case DeletionEnding::failed:
      return "failed";
    case DeletionEnding::deleted:
      return "deleted";
  }
  return "failed";
}

// delete_one_off works on one registry: this one, borrowed (the workspace keeps owning it).
std::vector<OpenedRegistry> one_registry(const OpenedRegistry& opened) {
  std::vector<OpenedRegistry> out;
  out.push_back({opened.label, std::make_unique<ForwardingRegistry>(*opened.registry),
                 opened.account, opened.region});
  return out;
}

json impact_json(const OneOffOutcome& outcome, const std::vector<std::string>& selected) {
  const std::set<std::string> chosen(selected.begin(), selected.end());
  json items = json::array(), orphaned = json::array();
  std::set<std::string> going;
  std::size_t tags = 0;
  for (const auto& work : outcome.work) {
    for (const auto& item : work.items) {
      if (item.frees_image) going.insert(item.image.digest);
      tags += item.frees_image ? item.image.tags.size() : 1;
      items.push_back({{"digest", item.image.digest},
                       {"tag", item.id.tag},
                       {"tags", item.image.tags},
                       {"size", item.image.size_bytes},
                       {"freesImage", item.frees_image},
                       {"selected", chosen.count(item.image.digest) > 0},
                       {"reason", item.reason}});
    }
  }
  // Children of a deleted index that stay (tagged ones, or kept by a protection): left without
  // the index that listed them.
  for (const auto& work : outcome.work) {
    for (const auto& item : work.items) {
      if (!item.frees_image) continue;
      for (const auto& child : item.image.child_digests) {
        if (going.count(child)) continue;
        orphaned.push_back(
            {{"digest", child}, {"index", item.image.digest}, {"indexTags", item.image.tags}});
      }
    }
  }
  json kept = json::array();
  for (const auto& k : outcome.kept) kept.push_back({{"digest", k.digest}, {"why", k.why}});
  return {{"items", items},
          {"kept", kept},
          {"notFound", outcome.not_found},
          {"orphaned", orphaned},
          {"untaggedKept", outcome.untagged_kept},
          {"tagsRemoved", tags},
          {"count", outcome.deletion.asked.images},
          {"bytes", outcome.deletion.asked.bytes},
          {"skippedRepositories", outcome.skipped_repositories}};
}

}  // namespace

struct Workspace::Job {
  std::mutex mutex;
  std::string id;
  bool done = false;
  std::size_t items_done = 0, items_total = 0;
  std::vector<std::string> notes;
  json result;
};

namespace {

class JobEvents final : public Events {
 public:
  explicit JobEvents(std::function<void(const Progress*, std::string_view)> sink)
      : m_sink(std::move(sink)) {}
  void progress(const Progress& progress) override { m_sink(&progress, {}); }
  void note(NoteKind kind, std::string_view line) override {
    m_sink(nullptr, std::string(kind == NoteKind::warning ? "warning: " : "") + std::string(line));
  }

 private:
  std::function<void(const Progress*, std::string_view)> m_sink;
};

}  // namespace

Answer Workspace::delete_preview(std::size_t registry, const std::string& repository,
                                 const std::vector<std::string>& digests) {
  if (m_read_only) return error_answer(403, "a snapshot is read-only: nothing can be deleted");
  if (registry >= m_opened.size()) return error_answer(400, "registry: no such registry");
  if (digests.empty()) return error_answer(400, "digests: select at least one image");
  std::lock_guard registry_lock(m_registry_mutex);
  const auto opened = one_registry(m_opened[registry]);
  OneOffRequest request;
  request.repository_globs = {repository};
  request.selection.digests = digests;
  request.protections = m_config.plan;
  request.session.journal = m_config.journal;
  request.session.env = m_config.env;
  // No consent, nobody to ask: delete_one_off plans and stops (DeletionEnding::plan_only).
  const OneOffOutcome outcome = delete_one_off(opened, request, m_clock, no_events());
  if (outcome.deletion.ending == DeletionEnding::failed) {
    return error_answer(400, outcome.deletion.error ? outcome.deletion.error->message
                                                    : "the deletion could not be planned");
  }
  json body = impact_json(outcome, digests);
  body["repository"] = repository;
  body["registry"] = registry;
  return {200, std::move(body)};
}

Answer Workspace::start_delete(std::size_t registry, const std::string& repository,
                               const std::vector<std::string>& digests, const std::string& confirm,
                               std::size_t expect_items, std::uint64_t expect_bytes) {
  if (m_read_only) return error_answer(403, "a snapshot is read-only: nothing can be deleted");
  if (registry >= m_opened.size()) return error_answer(400, "registry: no such registry");
  if (digests.empty()) return error_answer(400, "digests: select at least one image");
  if (confirm != repository) {
    return error_answer(400, "confirm: type the repository's name (" + repository +
                                 ") to confirm; nothing was deleted");
  }
  auto job = std::make_shared<Job>();
  std::lock_guard lock(m_mutex);
  job->id = "job-" + std::to_string(m_next_job++);
  m_jobs[job->id] = job;
  m_threads.emplace_back([this, job, registry, repository, digests, expect_items, expect_bytes] {
    run_delete(job, registry, repository, digests, expect_items, expect_bytes);
  });
  return {202, json{{"job", job->id}}};
}

void Workspace::run_delete(std::shared_ptr<Job> job, std::size_t registry, std::string repository,
                           std::vector<std::string> digests, std::size_t expect_items,
                           std::uint64_t expect_bytes) {
  std::lock_guard registry_lock(m_registry_mutex);
  JobEvents events([job](const Progress* progress, std::string_view note) {
    std::lock_guard lock(job->mutex);
    if (progress != nullptr && progress->phase == Progress::Phase::deleting) {
      job->items_done = progress->done;
      job->items_total = progress->total;
    }
    if (!note.empty()) job->notes.emplace_back(note);
  });
  const auto opened = one_registry(m_opened[registry]);
  OneOffRequest request;
  request.repository_globs = {repository};
  request.selection.digests = digests;
  request.protections = m_config.plan;
  request.session.journal = m_config.journal;
  request.session.env = m_config.env;
  request.session.concurrency = m_config.concurrency;
  bool changed = false;
  request.consent.ask = [&](const ConsentQuestion& question) {
    // The person confirmed this impact; anything else is a new question for them.
    if (question.images == expect_items && question.bytes == expect_bytes) return Consent::granted;
    changed = true;
    return Consent::declined;
  };
  const OneOffOutcome outcome = delete_one_off(opened, request, m_clock, events);
  json result = impact_json(outcome, digests);
  result["ending"] = std::string(to_text(outcome.deletion.ending));
  if (outcome.deletion.error) result["error"] = outcome.deletion.error->message;
  if (changed) {
    result["error"] = "the images changed since the impact was shown (now " +
                      std::to_string(outcome.deletion.asked.images) +
                      " items); nothing was deleted: review the impact again";
  }
  const ApplyReport& report = outcome.deletion.report;
  json outcomes = json::array();
  for (const auto& o : report.outcomes) {
    outcomes.push_back({{"digest", o.item.image.digest},
                        {"tag", o.item.id.tag},
                        {"tags", o.item.image.tags},
                        {"size", o.item.image.size_bytes},
                        {"result", std::string(to_string(o.result))},
                        {"code", o.code},
                        {"detail", o.detail},
                        {"reason", o.item.reason}});
  }
  result["outcomes"] = outcomes;
  result["deleted"] = report.deleted;
  result["gone"] = report.gone;
  result["skipped"] = report.skipped;
  result["failed"] = report.failed;
  result["bytesFreed"] = report.bytes_freed;
  result["repository"] = repository;
  result["registry"] = registry;
  // What the registry holds now: list the repository again and plan it again.
  // (Listed outside m_mutex, so the views stay responsive; m_registry_mutex keeps every other
  // change out meanwhile.)
  BrowsedRegistry browsed;
  {
    std::lock_guard lock(m_mutex);
    browsed = m_registries[registry].browsed;
  }
  const Status relisted = relist_repository(m_opened[registry], browsed, repository);
  if (!relisted.ok()) result["relistError"] = relisted.error().message;
  {
    std::lock_guard lock(m_mutex);
    if (relisted.ok()) m_registries[registry].browsed = std::move(browsed);
    replan_locked(registry);
  }
  std::lock_guard lock(job->mutex);
  job->result = std::move(result);
  job->done = true;
}

Answer Workspace::job(const std::string& id) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(m_mutex);
    const auto it = m_jobs.find(id);
    if (it == m_jobs.end()) return error_answer(404, "no job " + id);
    job = it->second;
  }
  std::lock_guard lock(job->mutex);
  return {200, json{{"id", job->id},
                    {"done", job->done},
                    {"itemsDone", job->items_done},
                    {"itemsTotal", job->items_total},
                    {"notes", job->notes},
                    {"result", job->done ? job->result : json(nullptr)}}};
}

}  // namespace regsweep::web
