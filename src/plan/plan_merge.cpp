#include "plan/plan_merge.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "plan/plan.hpp"
#include "plan/plan_json.hpp"
#include "plan/plan_warnings.hpp"

namespace regsweep {
namespace {

using Json = nlohmann::ordered_json;

Error merge_error(const std::string& name, const std::string& problem) {
  return make_error(ErrorCode::invalid_input, name + ": " + problem);
}

std::string string_of(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json* array_of(const Json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_array() ? &*it : nullptr;
}

// Schema 1 named a source's account "account" and a skipped registry's label "registry"; schema 2
// names them "registryId" and "label" (docs/output.md). Either is read.
std::string source_account(const Json& source) {
  const std::string id = string_of(source, "registryId");
  return id.empty() ? string_of(source, "account") : id;
}
std::string skipped_label(const Json& skipped) {
  const std::string label = string_of(skipped, "label");
  return label.empty() ? string_of(skipped, "registry") : label;
}

// An entry with its schema-1 key renamed, in place (the other keys and their order kept).
Json renamed(const Json& entry, const char* old_key, const char* new_key) {
  if (!entry.is_object() || !entry.contains(old_key) || entry.contains(new_key)) return entry;
  Json out = Json::object();
  for (const auto& [key, value] : entry.items()) out[key == old_key ? new_key : key] = value;
  return out;
}

struct Document {
  std::string name;
  Json json;
  std::optional<PlanShard> shard;
  Json sources = Json::array();  // its own, or one made up for a plan of one registry
  PlanTotals totals;
};

constexpr const char* k_give_plans = "fix: give plan documents (plan --save-plan FILE)";

Result<PlanTotals> totals_of(const Document& doc) {
  auto it = doc.json.find("totals");
  if (it == doc.json.end() || !it->is_object())
    return merge_error(doc.name, std::string("totals: missing; ") + k_give_plans);
  PlanTotals totals;
  const std::pair<const char*, std::uint64_t*> counts[] = {
      {"repositories", &totals.repositories},
      {"images", &totals.images},
      {"expiring", &totals.expiring},
      {"transitioning", &totals.transitioning},
      {"kept", &totals.kept},
      {"bytesTotal", &totals.bytes_total},
      {"bytesExpiring", &totals.bytes_expiring},
      {"bytesTransitioning", &totals.bytes_transitioning}};
  for (const auto& [key, into] : counts) {
    auto value = it->find(key);
    if (value == it->end() || !value->is_number_unsigned())
      return merge_error(doc.name, std::string("totals.") + key + ": missing or not a count");
    *into = value->get<std::uint64_t>();
  }
  auto savings = it->find("monthlySavings");
  if (savings == it->end() || !savings->is_number())
    return merge_error(doc.name, "totals.monthlySavings: missing or not a number");
  totals.monthly_savings = savings->get<double>();
  // Optional: plans of earlier versions have none of these.
  const std::pair<const char*, std::uint64_t*> optional_counts[] = {
      {"earlyArchiveDeletions", &totals.early_deletions},
      {"indexesWithoutManifest", &totals.indexes_without_manifest},
      {"unknownMediaType", &totals.unknown_media_type},
      {"maybeUnprotectedChildren", &totals.maybe_unprotected_children}};
  for (const auto& [key, into] : optional_counts) {
    auto value = it->find(key);
    if (value == it->end()) continue;
    if (!value->is_number_unsigned())
      return merge_error(doc.name, std::string("totals.") + key + ": not a count");
    *into = value->get<std::uint64_t>();
  }
  if (auto charge = it->find("earlyDeletionCharge"); charge != it->end()) {
    if (!charge->is_number())
      return merge_error(doc.name, "totals.earlyDeletionCharge: not a number");
    totals.early_deletion_charge = charge->get<double>();
  }
  return totals;
}

Result<Document> read_document(const PlanText& plan) {
  Document doc;
  doc.name = plan.name;
  doc.json = Json::parse(plan.text, nullptr, false);
  if (doc.json.is_discarded() || !doc.json.is_object())
    return merge_error(plan.name, std::string("not a JSON object; ") + k_give_plans);
  if (auto v = doc.json.find("schemaVersion");
      v == doc.json.end() || !v->is_number_integer() || *v < 1 || *v > k_plan_schema)
    return merge_error(plan.name, "schemaVersion: not 1 or " + std::to_string(k_plan_schema) +
                                      "; fix: plan again with this regsweep version");
  if (!array_of(doc.json, "repositories"))
    return merge_error(plan.name, std::string("repositories: missing; ") + k_give_plans);
  if (auto s = doc.json.find("shard"); s != doc.json.end()) {
    const bool valid = s->is_object() && s->contains("index") && s->contains("count") &&
                       (*s)["index"].is_number_unsigned() && (*s)["count"].is_number_unsigned() &&
                       (*s)["index"].get<std::uint64_t>() < (*s)["count"].get<std::uint64_t>();
    if (!valid) return merge_error(plan.name, "shard: not {\"index\": I, \"count\": N} with I < N");
    doc.shard = PlanShard{(*s)["index"].get<std::uint32_t>(), (*s)["count"].get<std::uint32_t>()};
  }
  if (const Json* sources = array_of(doc.json, "sources")) {
    for (const auto& source : *sources)
      doc.sources.push_back(renamed(source, "account", "registryId"));
  } else if (const Json* repos = array_of(doc.json, "repositories"); !repos->empty()) {
    // One registry, planned without sharding: its entry from its repositories.
    const Json& first = repos->front();
    const std::string account = string_of(first, "registryId");
    const std::string region = string_of(first, "region");
    std::string label = account.empty() ? region : account + "/" + region;
    if (label.empty() || label == "/") label = string_of(doc.json, "source");
    doc.sources.push_back({{"label", label},
                           {"source", string_of(doc.json, "source")},
                           {"registryId", account},
                           {"region", region}});
  }
  auto totals = totals_of(doc);
  if (!totals) return totals.error();
  doc.totals = *totals;
  return doc;
}

// What must agree between documents.
Status check_same(const Document& first, const Document& doc) {
  for (const char* key : {"now", "policy", "pricePerGbMonth", "archivePricePerGbMonth"}) {
    const auto a = first.json.find(key);
    const auto b = doc.json.find(key);
    const bool same =
        (a == first.json.end()) == (b == doc.json.end()) && (a == first.json.end() || *a == *b);
    if (!same)
      return merge_error(doc.name, std::string(key) + ": differs from " + first.name +
                                       "'s; fix: merge plans made together (the same --policy, "
                                       "--now and prices)");
  }
  if (first.shard.has_value() != doc.shard.has_value())
    return merge_error(doc.name, std::string(doc.shard ? "is" : "is not") + " a shard's plan and " +
                                     first.name + (doc.shard ? " is not" : " is") +
                                     "; fix: merge the plans of one sharded run");
  if (doc.shard && doc.shard->count != first.shard->count)
    return merge_error(doc.name, "shard.count " + std::to_string(doc.shard->count) +
                                     " differs from " + first.name + "'s " +
                                     std::to_string(first.shard->count) +
                                     "; fix: merge the plans of one sharded run");
  return ok_status();
}

// Every registry and repository in exactly one document.
Status check_disjoint(const std::vector<Document>& docs) {
  std::map<std::string, std::string> registry_owner;    // key -> document
  std::map<std::string, std::string> repository_owner;  // registry key + name -> document
  std::map<std::uint32_t, std::string> shard_owner;
  for (const auto& doc : docs) {
    if (doc.shard) {
      auto [it, inserted] = shard_owner.emplace(doc.shard->index, doc.name);
      if (!inserted)
        return merge_error(doc.name, "shard " + std::to_string(doc.shard->index) + " again (also " +
                                         it->second + "); fix: give each shard's plan once");
    }
    std::set<std::string> own;
    for (const auto& source : doc.sources) {
      const std::string account = source_account(source);
      own.insert(account.empty() ? "label " + string_of(source, "label")
                                 : account + "/" + string_of(source, "region"));
    }
    if (const Json* skipped = array_of(doc.json, "skippedRegistries"))
      for (const auto& s : *skipped) own.insert("label " + skipped_label(s));
    for (const auto& repo : *array_of(doc.json, "repositories")) {
      const std::string registry = string_of(repo, "registryId") + "/" + string_of(repo, "region");
      if (registry != "/") own.insert(registry);
      const std::string key = registry + " " + string_of(repo, "repositoryName");
      auto [it, inserted] = repository_owner.emplace(key, doc.name);
      if (!inserted && it->second != doc.name)
        return merge_error(doc.name, "repository " + string_of(repo, "repositoryName") +
                                         (registry == "/" ? "" : " of " + registry) +
                                         " is also in " + it->second +
                                         "; fix: merge plans of different registries (one per "
                                         "shard)");
    }
    for (const auto& key : own) {
      auto [it, inserted] = registry_owner.emplace(key, doc.name);
      if (!inserted)
        return merge_error(doc.name, "registry " +
                                         (key.starts_with("label ") ? key.substr(6) : key) +
                                         " is also in " + it->second +
                                         "; fix: merge plans of different registries (one per "
                                         "shard)");
    }
  }
  if (!docs.empty() && docs.front().shard) {
    std::string missing;
    for (std::uint32_t i = 0; i < docs.front().shard->count; ++i)
      if (!shard_owner.count(i)) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
    if (!missing.empty())
      return merge_error(docs.front().name,
                         "the plans of shard " + missing + " (of " +
                             std::to_string(docs.front().shard->count) +
                             ") are missing; fix: merge the plan of every shard");
  }
  return ok_status();
}

// A repository object as the plan writer lays it out: images one per line.
void write_repository(JsonWriter& out, const Json& repo) {
  out.begin_object();
  for (const auto& [key, value] : repo.items()) {
    out.key(std::string_view(key));
    if (key == "images" && value.is_array()) {
      out.begin_array();
      for (const auto& image : value) {
        out.newline();
        out.raw(image.dump());
      }
      out.end_array();
    } else {
      out.raw(value.dump());
    }
  }
  out.end_object();
}

// Every document's `key` array, one after another; entries of schema 1 with `old_key` get
// `new_key` instead (when given).
void write_concatenated(JsonWriter& out, const std::vector<Document>& docs, const char* key,
                        const char* old_key = nullptr, const char* new_key = nullptr) {
  out.key(std::string_view(key));
  out.begin_array();
  for (const auto& doc : docs) {
    if (const Json* list = array_of(doc.json, key))
      for (const auto& item : *list)
        out.raw(old_key ? renamed(item, old_key, new_key).dump() : item.dump());
  }
  out.end_array();
  out.newline();
}

std::size_t size_of(const Json& doc, const char* key) {
  const Json* list = array_of(doc, key);
  return list ? list->size() : 0;
}

}  // namespace

Result<MergedPlanSummary> merge_plan_documents(const std::vector<PlanText>& plans,
                                               JsonWriter::Sink sink) {
  if (plans.empty())
    return make_error(ErrorCode::invalid_input, "no plan given; fix: name the plan files");
  std::vector<Document> docs;
  for (const auto& plan : plans) {
    auto doc = read_document(plan);
    if (!doc) return doc.error();
    if (!docs.empty()) {
      if (auto same = check_same(docs.front(), *doc); !same) return same.error();
    }
    docs.push_back(std::move(*doc));
  }
  if (auto disjoint = check_disjoint(docs); !disjoint) return disjoint.error();

  Json sources = Json::array();
  MergedPlanSummary summary;
  for (const auto& doc : docs) {
    for (const auto& s : doc.sources) sources.push_back(s);
    MergedPlanPart part{doc.name,
                        doc.shard,
                        doc.sources.size(),
                        size_of(doc.json, "skippedRepositories"),
                        size_of(doc.json, "skippedRegistries"),
                        doc.totals};
    summary.registries += part.registries;
    summary.skipped_repositories += part.skipped_repositories;
    summary.skipped_registries += part.skipped_registries;
    summary.totals.add(doc.totals);
    summary.parts.push_back(std::move(part));
  }
  const PlanTotals& totals = summary.totals;
  const Json& first = docs.front().json;
  JsonWriter out(std::move(sink));
  out.begin_object();
  out.key("schemaVersion");
  out.value(k_plan_schema);
  out.key("source");
  out.value(std::to_string(sources.size()) + (sources.size() == 1 ? " registry" : " registries"));
  out.key("sources");
  out.raw(sources.dump());
  for (const char* key : {"now", "pricePerGbMonth", "archivePricePerGbMonth", "policy"}) {
    if (auto it = first.find(key); it != first.end()) {
      out.key(std::string_view(key));
      out.raw(it->dump());
    }
  }
  out.key("repositories");
  out.begin_array();
  for (const auto& doc : docs) {
    for (const auto& repo : *array_of(doc.json, "repositories")) {
      out.newline();
      write_repository(out, repo);
    }
  }
  out.end_array();
  out.newline();
  write_concatenated(out, docs, "skippedRepositories");
  write_concatenated(out, docs, "skippedRegistries", "registry", "label");
  out.key("warnings");
  out.begin_array();
  for (const auto& warning : plan_warnings(totals)) out.value(warning);
  out.end_array();
  out.newline();
  out.key("totals");
  write_plan_totals(out, totals, true);
  out.end_object();
  out.newline();
  out.finish();
  return summary;
}

}  // namespace regsweep
