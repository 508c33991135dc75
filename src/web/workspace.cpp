#include "web/workspace.hpp"

#include <algorithm>

#include "policy/parse.hpp"
#include "util/size.hpp"
#include "util/time.hpp"

namespace regsweep::web {
namespace {

using nlohmann::json;

// Counts listing progress for status(); notes go to the page.
class LoadEvents final : public Events {
 public:
  LoadEvents(std::mutex& mutex, std::size_t& done, std::size_t& total,
             std::vector<std::string>& notes)
      : m_mutex(mutex), m_done(done), m_total(total), m_notes(notes) {}
  void progress(const Progress& progress) override {
    std::lock_guard lock(m_mutex);
    m_done = progress.done;
    m_total = progress.total;
  }
  void note(NoteKind kind, std::string_view line) override {
    std::lock_guard lock(m_mutex);
    m_notes.push_back(std::string(kind == NoteKind::warning ? "warning: " : "") +
                      std::string(line));
  }

 private:
  std::mutex& m_mutex;
  std::size_t& m_done;
  std::size_t& m_total;
  std::vector<std::string>& m_notes;
};

json optional_time(const std::optional<EpochMillis>& t) {
  return t ? json(*t) : json(nullptr);
}

double archive_price(const PlanOptions& options) {
  return options.archive_price_per_gb_month < 0 ? options.price_per_gb_month
                                                : options.archive_price_per_gb_month;
}

json totals_json(const PlanTotals& t) {
  return {{"images", t.images},
          {"expiring", t.expiring},
          {"transitioning", t.transitioning},
          {"kept", t.kept},
          {"bytes", t.bytes_total},
          {"bytesExpiring", t.bytes_expiring},
          {"bytesTransitioning", t.bytes_transitioning},
          {"monthlySavings", t.monthly_savings}};
}

}  // namespace

Answer error_answer(int status, const std::string& message) {
  return {status, json{{"error", message}}};
}

Workspace::Workspace(WorkspaceConfig config, std::vector<OpenedRegistry> opened, Clock& clock)
    : m_config(std::move(config)), m_opened(std::move(opened)), m_clock(clock) {
  m_read_only = std::any_of(m_opened.begin(), m_opened.end(),
                            [](const OpenedRegistry& o) { return o.region.empty(); });
  m_chosen = m_config.policy;
  m_use_chosen = m_chosen.has_value();
}

Workspace::~Workspace() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(m_mutex);
    threads.swap(m_threads);
  }
  for (auto& t : threads)
    if (t.joinable()) t.join();
}

void Workspace::load() {
  std::lock_guard registry_lock(m_registry_mutex);
  LoadEvents events(m_mutex, m_listed, m_to_list, m_notes);
  BrowseRequest request;
  request.repository_globs = m_config.plan.repository_globs;
  request.concurrency = m_config.concurrency;
  auto browsed = browse_registries(m_opened, request, events);
  std::lock_guard lock(m_mutex);
  m_registries.clear();
  for (auto& b : browsed) {
    RegistryState state;
    state.browsed = std::move(b);
    m_registries.push_back(std::move(state));
  }
  for (std::size_t r = 0; r < m_registries.size(); ++r) replan_locked(r);
  m_loaded = true;
}

Answer Workspace::refresh() {
  load();
  return status();
}

const Policy* Workspace::chosen_policy_locked() const {
  return m_use_chosen && m_chosen ? &m_chosen->policy : nullptr;
}

void Workspace::replan_locked(std::size_t registry) {
  RegistryState& state = m_registries[registry];
  state.plan = plan_browsed(state.browsed, chosen_policy_locked(),
                            m_chosen ? m_chosen->text : std::string(), m_config.plan, m_clock);
  state.repositories.clear();
  state.rows.clear();
  for (std::size_t g = 0; g < state.plan.groups.size(); ++g) {
    const auto& repos = state.plan.groups[g].plan.repositories;
    for (std::size_t i = 0; i < repos.size(); ++i)
      state.repositories[repos[i].repository->name] = {g, i};
  }
}

const Repository* Workspace::repository_locked(std::size_t registry, const std::string& name,
                                               const RepositoryPlan** plan, const Policy** policy) {
  if (registry >= m_registries.size()) return nullptr;
  RegistryState& state = m_registries[registry];
  if (!state.browsed.inventory) return nullptr;
  const Repository* found = nullptr;
  for (const auto& repo : state.browsed.inventory->repositories)
    if (repo.name == name) found = &repo;
  if (found == nullptr) return nullptr;
  *plan = nullptr;
  *policy = nullptr;
  if (const auto it = state.repositories.find(name); it != state.repositories.end()) {
    const BrowsePlanGroup& group = state.plan.groups[it->second.group];
    *plan = &group.plan.repositories[it->second.index];
    *policy = group.policy.get();
  }
  return found;
}

std::shared_ptr<const std::vector<ImageRow>> Workspace::rows_locked(std::size_t registry,
                                                                    const std::string& name) {
  RegistryState& state = m_registries[registry];
  if (const auto it = state.rows.find(name); it != state.rows.end()) return it->second;
  const RepositoryPlan* plan = nullptr;
  const Policy* policy = nullptr;
  const Repository* repo = repository_locked(registry, name, &plan, &policy);
  if (repo == nullptr) return nullptr;
  auto rows = std::make_shared<const std::vector<ImageRow>>(
      build_rows(*repo, plan, policy, m_config.plan.now));
  state.rows[name] = rows;
  return rows;
}

Answer Workspace::status() {
  std::lock_guard lock(m_mutex);
  return {200, json{{"loaded", m_loaded},
                    {"listed", m_listed},
                    {"toList", m_to_list},
                    {"notes", m_notes},
                    {"readOnly", m_read_only},
                    {"source", m_config.source}}};
}

json Workspace::repository_summary_locked(std::size_t registry, const Repository& repository) {
  const RegistryState& state = m_registries[registry];
  std::uint64_t bytes = 0, archived_bytes = 0;
  std::size_t untagged = 0, archived = 0;
  EpochMillis newest = 0;
  for (const auto& image : repository.images) {
    bytes += image.size_bytes;
    if (!image.tagged()) ++untagged;
    if (image.storage_class() == StorageClass::archive) {
      ++archived;
      archived_bytes += image.size_bytes;
    }
    newest = std::max(newest, image.pushed_at);
  }
  const double cost = monthly_cost(bytes - archived_bytes, m_config.plan.price_per_gb_month) +
                      monthly_cost(archived_bytes, archive_price(m_config.plan));
  json out{{"registry", registry},    {"registryLabel", state.browsed.label},
           {"name", repository.name}, {"images", repository.images.size()},
           {"untagged", untagged},    {"archived", archived},
           {"bytes", bytes},          {"monthlyCost", cost},
           {"newestPush", newest}};
  std::size_t index = 0;
  for (; index < state.browsed.inventory->repositories.size(); ++index)
    if (&state.browsed.inventory->repositories[index] == &repository) break;
  const bool has = index < state.browsed.installed.size() && state.browsed.installed[index];
  out["installedPolicy"] = has;
  out["policyError"] = index < state.browsed.installed_error.size()
                           ? json(state.browsed.installed_error[index])
                           : json("");
  if (const auto it = state.repositories.find(repository.name); it != state.repositories.end()) {
    const auto& group = state.plan.groups[it->second.group];
    out["plan"] = totals_json(group.plan.repositories[it->second.index].totals);
    out["planned"] = true;
  } else {
    out["plan"] = totals_json(PlanTotals{});
    out["planned"] = false;
  }
  return out;
}

Answer Workspace::overview() {
  std::lock_guard lock(m_mutex);
  if (!m_loaded) return error_answer(503, "still listing the registries");
  json registries = json::array(), repositories = json::array(), skipped = json::array();
  PlanTotals plan_totals;
  std::uint64_t bytes = 0, images = 0;
  double cost = 0;
  // Age histogram (by push time, against the plan's now).
  struct Bucket {
    const char* label;
    EpochMillis up_to_days;
  };
  static constexpr Bucket k_buckets[] = {{"< 7 days", 7},       {"7–30 days", 30},
                                         {"30–90 days", 90},    {"90–180 days", 180},
                                         {"180–365 days", 365}, {"> 1 year", -1}};
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ages(std::size(k_buckets));
  for (std::size_t r = 0; r < m_registries.size(); ++r) {
    const RegistryState& state = m_registries[r];
    registries.push_back(
        {{"index", r}, {"label", state.browsed.label}, {"error", state.browsed.listing_error}});
    if (!state.browsed.inventory) continue;
    plan_totals.add(state.plan.totals);
    for (const auto& s : state.plan.skipped)
      skipped.push_back({{"registry", r}, {"name", s.name}, {"reason", s.reason}});
    for (const auto& s : state.browsed.inventory->skipped)
      skipped.push_back({{"registry", r}, {"name", s.name}, {"reason", s.reason}});
    for (const auto& repo : state.browsed.inventory->repositories) {
      json summary = repository_summary_locked(r, repo);
      bytes += summary["bytes"].get<std::uint64_t>();
      images += repo.images.size();
      cost += summary["monthlyCost"].get<double>();
      repositories.push_back(std::move(summary));
      for (const auto& image : repo.images) {
        const EpochMillis age_days = (m_config.plan.now - image.pushed_at) / k_millis_per_day;
        std::size_t b = 0;
        while (k_buckets[b].up_to_days >= 0 && age_days >= k_buckets[b].up_to_days) ++b;
        ages[b].first += 1;
        ages[b].second += image.size_bytes;
      }
    }
  }
  json histogram = json::array();
  for (std::size_t b = 0; b < ages.size(); ++b)
    histogram.push_back(
        {{"label", k_buckets[b].label}, {"images", ages[b].first}, {"bytes", ages[b].second}});
  json body{{"source", m_config.source},
            {"readOnly", m_read_only},
            {"now", m_config.plan.now},
            {"nowText", format_iso8601(m_config.plan.now)},
            {"pricePerGbMonth", m_config.plan.price_per_gb_month},
            {"mode", m_use_chosen ? "chosen" : "installed"},
            {"chosenPolicy", m_chosen ? json(m_chosen->text) : json(nullptr)},
            {"registries", registries},
            {"repositories", repositories},
            {"skipped", skipped},
            {"ages", histogram},
            {"notes", m_notes},
            {"totals",
             {{"repositories", repositories.size()},
              {"images", images},
              {"bytes", bytes},
              {"monthlyCost", cost},
              {"plan", totals_json(plan_totals)}}}};
  return {200, std::move(body)};
}

Answer Workspace::images(std::size_t registry, const std::string& repository,
                         const ImageQuery& query, bool digests_only) {
  std::lock_guard lock(m_mutex);
  if (!m_loaded) return error_answer(503, "still listing the registries");
  const RepositoryPlan* plan = nullptr;
  const Policy* policy = nullptr;
  const Repository* repo = repository_locked(registry, repository, &plan, &policy);
  if (repo == nullptr) return error_answer(404, "repository " + repository + ": not listed");
  const auto rows = rows_locked(registry, repository);
  const QueryResult result = query_rows(*repo, *rows, query, m_config.plan.now);
  if (digests_only) {
    json digests = json::array();
    for (const std::size_t r : result.all) digests.push_back(repo->images[(*rows)[r].index].digest);
    return {200, json{{"digests", digests}, {"bytes", result.matched_bytes}}};
  }
  std::vector<std::size_t> children(rows->size(), 0);
  for (const auto& row : *rows)
    if (row.parent >= 0) ++children[static_cast<std::size_t>(row.parent)];
  json out = json::array();
  for (const auto& q : result.page) {
    const ImageRow& row = (*rows)[q.row];
    const ImageRecord& image = repo->images[row.index];
    out.push_back({{"digest", image.digest},
                   {"tags", image.tags},
                   {"pushedAt", image.pushed_at},
                   {"lastPulledAt", optional_time(image.last_pulled_at)},
                   {"size", image.size_bytes},
                   {"storageClass", std::string(to_string(image.storage_class()))},
                   {"mediaType", static_cast<const std::string&>(image.manifest_media_type)},
                   {"artifactType", static_cast<const std::string&>(image.artifact_media_type)},
                   {"kind", row.kind},
                   {"action", row.action},
                   {"reason", row.reason},
                   {"protected", row.protected_by_regsweep},
                   {"relation", row.relation},
                   {"children", children[row.index]},
                   {"depth", q.depth}});
  }
  json summary = repository_summary_locked(registry, *repo);
  return {200, json{{"repository", summary},
                    {"rows", out},
                    {"matched", result.matched},
                    {"matchedBytes", result.matched_bytes},
                    {"topLevel", result.top_level},
                    {"offset", query.offset},
                    {"limit", query.limit},
                    {"readOnly", m_read_only},
                    {"mode", m_use_chosen ? "chosen" : "installed"}}};
}

Answer Workspace::search(const std::string& text, std::size_t limit) {
  std::lock_guard lock(m_mutex);
  if (!m_loaded) return error_answer(503, "still listing the registries");
  json hits = json::array();
  std::size_t total = 0;
  for (std::size_t r = 0; r < m_registries.size(); ++r) {
    const auto& inventory = m_registries[r].browsed.inventory;
    if (!inventory) continue;
    for (const auto& repo : inventory->repositories) {
      for (const auto& image : repo.images) {
        const bool hit = image.digest.find(text) != std::string::npos ||
                         std::any_of(image.tags.begin(), image.tags.end(), [&](const auto& tag) {
                           return tag.find(text) != std::string::npos;
                         });
        if (!hit) continue;
        if (++total > limit) continue;
        hits.push_back({{"registry", r},
                        {"repository", repo.name},
                        {"digest", image.digest},
                        {"tags", image.tags},
                        {"pushedAt", image.pushed_at},
                        {"size", image.size_bytes}});
      }
    }
  }
  return {200, json{{"hits", hits}, {"total", total}}};
}

Answer Workspace::set_mode(const std::string& mode, const std::string& text) {
  std::optional<PolicyFile> chosen;
  if (mode == "chosen") {
    auto parsed = parse_policy(text, "policy");
    if (!parsed.ok()) return error_answer(400, parsed.error().message);
    chosen = PolicyFile{text, std::move(parsed).value()};
  } else if (mode != "installed") {
    return error_answer(400, "mode: '" + mode + "' is not a mode; use installed or chosen");
  }
  std::lock_guard lock(m_mutex);
  if (chosen) m_chosen = std::move(chosen);
  m_use_chosen = mode == "chosen";
  for (std::size_t r = 0; r < m_registries.size(); ++r) replan_locked(r);
  return {200, json{{"mode", mode}}};
}

Answer Workspace::journal(const std::string& repository, const std::string& outcome,
                          const std::string& run, const std::string& text, std::size_t limit) {
  auto view = read_journal_view(m_config.journal, m_config.env);
  if (!view.ok()) return error_answer(400, view.error().message);
  // Runs, newest first, with their counts.
  std::map<std::string, json> runs;
  std::vector<std::string> run_order;
  json entries = json::array();
  std::size_t matched = 0;
  for (auto it = view->entries.rbegin(); it != view->entries.rend(); ++it) {
    const JournalEntry& e = *it;
    auto [run_it, fresh] = runs.try_emplace(e.run_id, json{{"id", e.run_id},
                                                           {"started", e.timestamp},
                                                           {"deleted", 0},
                                                           {"failed", 0},
                                                           {"other", 0},
                                                           {"bytes", 0},
                                                           {"repositories", json::array()}});
    if (fresh) run_order.push_back(e.run_id);
    json& r = run_it->second;
    r["started"] = std::min(r["started"].get<EpochMillis>(), e.timestamp);
    if (e.kind == "result") {
      if (e.outcome == "deleted") {
        r["deleted"] = r["deleted"].get<int>() + 1;
        r["bytes"] = r["bytes"].get<std::uint64_t>() + e.size_bytes.value_or(0);
      } else if (e.outcome == "failed") {
        r["failed"] = r["failed"].get<int>() + 1;
      } else {
        r["other"] = r["other"].get<int>() + 1;
      }
    }
    auto& repos = r["repositories"];
    if (std::find(repos.begin(), repos.end(), e.repository) == repos.end())
      repos.push_back(e.repository);
    if (!repository.empty() && e.repository != repository) continue;
    if (!run.empty() && e.run_id != run) continue;
    const std::string shown = e.interrupted ? "interrupted" : e.outcome;
    if (!outcome.empty() && shown != outcome && !(outcome == "intent" && e.kind == "intent"))
      continue;
    if (!text.empty()) {
      bool hit =
          e.digest.find(text) != std::string::npos || e.reason.find(text) != std::string::npos;
      for (const auto& tag : e.tags) hit = hit || tag.find(text) != std::string::npos;
      if (!hit) continue;
    }
    if (++matched > limit) continue;
    entries.push_back({{"kind", e.kind},
                       {"action", e.action},
                       {"run", e.run_id},
                       {"time", e.timestamp},
                       {"registry", e.registry},
                       {"region", e.region},
                       {"repository", e.repository},
                       {"digest", e.digest},
                       {"tags", e.tags},
                       {"size", e.size_bytes ? json(*e.size_bytes) : json(nullptr)},
                       {"rule", e.rule_priority ? json(*e.rule_priority) : json(nullptr)},
                       {"reason", e.reason},
                       {"outcome", shown},
                       {"errorCode", e.error_code}});
  }
  json run_list = json::array();
  for (const auto& id : run_order) run_list.push_back(runs[id]);
  return {200, json{{"path", view->path},
                    {"exists", view->exists},
                    {"badLines", view->bad_lines},
                    {"runs", run_list},
                    {"entries", entries},
                    {"matched", matched}}};
}

}  // namespace regsweep::web
