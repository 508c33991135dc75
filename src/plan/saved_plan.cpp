#include "plan/saved_plan.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace regsweep {
namespace {

using nlohmann::json;

class Reader {
 public:
  explicit Reader(const std::string& file) : m_file(file) {}

  Error fail(const std::string& where, const std::string& problem, const std::string& fix) const {
    return make_error(ErrorCode::invalid_input,
                      m_file + ": " + where + ": " + problem + "; " + fix);
  }

  Result<const json*> member(const json& object, const std::string& where, const char* key,
                             json::value_t type) const {
    const auto it = object.find(key);
    const std::string path = where.empty() ? key : where + "." + key;
    if (it == object.end() || it->is_null()) {
      return fail(path, "missing",
                  "save the plan with `regsweep plan --output json` (docs/plan-json.md)");
    }
    const bool ok = type == json::value_t::number_unsigned  ? it->is_number_unsigned()
                    : type == json::value_t::number_integer ? it->is_number_integer()
                                                            : it->type() == type;
    if (!ok) {
      const std::string expected = type == json::value_t::number_unsigned ? "a non-negative integer"
                                   : type == json::value_t::number_integer ? "an integer"
                                                                           : json(type).type_name();
      return fail(path, std::string("is ") + it->dump().substr(0, 40) + ", expected " + expected,
                  "the file was edited or is not a regsweep plan");
    }
    return &*it;
  }

  Result<std::string> text(const json& object, const std::string& where, const char* key) const {
    auto found = member(object, where, key, json::value_t::string);
    if (!found) return std::move(found).take_error();
    return (*found)->get<std::string>();
  }

 private:
  const std::string& m_file;
};

Result<SavedImage> read_image(const Reader& r, const json& entry, const std::string& where) {
  SavedImage image;
  auto digest = r.text(entry, where, "imageDigest");
  if (!digest) return std::move(digest).take_error();
  image.digest = *digest;
  if (image.digest.empty()) return r.fail(where + ".imageDigest", "empty", "the file was edited");
  auto tags = r.member(entry, where, "imageTags", json::value_t::array);
  if (!tags) return std::move(tags).take_error();
  for (const auto& tag : **tags) {
    if (!tag.is_string())
      return r.fail(where + ".imageTags", "holds a non-string", "the file was edited");
    image.tags.push_back(tag.get<std::string>());
  }
  auto size = r.member(entry, where, "imageSizeInBytes", json::value_t::number_unsigned);
  if (!size) return std::move(size).take_error();
  image.size_bytes = (*size)->get<std::uint64_t>();
  auto pushed = r.text(entry, where, "imagePushedAt");
  if (!pushed) return std::move(pushed).take_error();
  const auto pushed_at = parse_timestamp(*pushed);
  if (!pushed_at)
    return r.fail(where + ".imagePushedAt", "'" + *pushed + "' is not a time",
                  "the file was edited");
  image.pushed_at = *pushed_at;
  if (const auto rule = entry.find("appliedRulePriority");
      rule != entry.end() && !rule->is_null()) {
    if (!rule->is_number_integer() || *rule < INT32_MIN || *rule > INT32_MAX)
      return r.fail(where + ".appliedRulePriority", "not an integer", "the file was edited");
    image.rule_priority = rule->get<int>();
  }
  auto reason = r.text(entry, where, "reason");
  if (!reason) return std::move(reason).take_error();
  image.reason = *reason;
  return image;
}

Result<SavedRepository> read_repository(const Reader& r, const json& entry,
                                        const std::string& where) {
  if (!entry.is_object()) return r.fail(where, "not an object", "the file was edited");
  SavedRepository repo;
  auto name = r.text(entry, where, "repositoryName");
  if (!name) return std::move(name).take_error();
  repo.repository = *name;
  if (const auto id = entry.find("registryId"); id != entry.end() && id->is_string())
    repo.registry_id = id->get<std::string>();
  if (const auto region = entry.find("region"); region != entry.end() && region->is_string())
    repo.region = region->get<std::string>();
  auto images = r.member(entry, where, "images", json::value_t::array);
  if (!images) return std::move(images).take_error();
  std::size_t i = 0;
  for (const auto& image : **images) {
    const std::string at = where + ".images[" + std::to_string(i++) + "]";
    if (!image.is_object()) return r.fail(at, "not an object", "the file was edited");
    auto action = r.text(image, at, "action");
    if (!action) return std::move(action).take_error();
    if (*action == "keep") continue;
    if (*action != "expire" && *action != "transition") {
      return r.fail(at + ".action", "'" + *action + "' is not keep, expire or transition",
                    "the file was edited or comes from a newer regsweep");
    }
    auto saved = read_image(r, image, at);
    if (!saved) return std::move(saved).take_error();
    (*action == "expire" ? repo.expiring : repo.transitioning).push_back(std::move(saved).value());
  }
  return repo;
}

std::string join_tags(const std::vector<std::string>& tags) {
  if (tags.empty()) return "(untagged)";
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : ",") + t;
  return out;
}

}  // namespace

Result<SavedPlan> parse_saved_plan(std::string_view text, const std::string& file) {
  const Reader r(file);
  const json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return r.fail("(document)", "not a JSON object",
                  "give the output of `regsweep plan --output json`");
  }
  auto schema = r.member(doc, "", "schemaVersion", json::value_t::number_integer);
  if (!schema) return std::move(schema).take_error();
  if (**schema < k_oldest_saved_plan_schema || **schema > k_saved_plan_schema) {
    return r.fail("schemaVersion",
                  "is " + (*schema)->dump() + ", this regsweep reads " +
                      std::to_string(k_oldest_saved_plan_schema) + " to " +
                      std::to_string(k_saved_plan_schema),
                  "plan again with this regsweep version");
  }
  SavedPlan plan;
  auto source = r.text(doc, "", "source");
  if (!source) return std::move(source).take_error();
  plan.source = *source;
  auto now = r.text(doc, "", "now");
  if (!now) return std::move(now).take_error();
  const auto parsed_now = parse_timestamp(*now);
  if (!parsed_now) return r.fail("now", "'" + *now + "' is not a time", "the file was edited");
  plan.now = *parsed_now;
  auto repositories = r.member(doc, "", "repositories", json::value_t::array);
  if (!repositories) return std::move(repositories).take_error();
  std::size_t i = 0;
  for (const auto& entry : **repositories) {
    auto repo = read_repository(r, entry, "repositories[" + std::to_string(i++) + "]");
    if (!repo) return std::move(repo).take_error();
    plan.repositories.push_back(std::move(repo).value());
  }
  return plan;
}

namespace {

// `list` is saved.expiring or saved.transitioning; `archive`: the images must still be ACTIVE.
std::vector<StillPlanned> match_list(const SavedRepository& saved,
                                     const std::vector<SavedImage>& list, bool archive,
                                     const std::vector<ImageRecord>& live,
                                     std::vector<SavedPlanMismatch>& mismatches) {
  std::map<std::string, const ImageRecord*> by_digest;
  for (const auto& image : live) by_digest[image.digest] = &image;
  // Images the plan takes away from standard storage: an index deleted or archived keeps no
  // children (spec R5), a subject deleted or archived keeps no referrers.
  std::set<std::string> expiring;
  for (const auto& image : saved.expiring) expiring.insert(image.digest);
  for (const auto& image : saved.transitioning) expiring.insert(image.digest);
  // What live images outside the plan's list reference: deleting those would break them.
  std::map<std::string, std::string> referenced_by;
  for (const auto& image : live) {
    if (expiring.count(image.digest)) continue;
    // A referrer does not keep its subject (it goes with it); only indexes keep what they list.
    for (const auto& child : image.child_digests) referenced_by.emplace(child, image.digest);
  }
  std::vector<StillPlanned> out;
  std::set<std::string> done;
  for (const auto& image : list) {
    if (!done.insert(image.digest).second) continue;
    auto report = [&](std::string problem) {
      mismatches.push_back({saved.repository, image.digest, std::move(problem), archive});
    };
    const auto it = by_digest.find(image.digest);
    if (it == by_digest.end()) {
      report("no longer in the repository");
      continue;
    }
    auto planned = image.tags, now = it->second->tags;
    std::sort(planned.begin(), planned.end());
    std::sort(now.begin(), now.end());
    if (planned != now) {
      report("tags changed since the plan: " + join_tags(image.tags) + " -> " +
             join_tags(it->second->tags));
      continue;
    }
    if (archive && it->second->status != ImageStatus::active) {
      report(it->second->status == ImageStatus::archived ? "archived since the plan"
                                                         : "being restored since the plan");
      continue;
    }
    if (const auto ref = referenced_by.find(image.digest); ref != referenced_by.end()) {
      report("now listed by image index " + ref->second + ", which the plan keeps");
      continue;
    }
    if (it->second->subject_digest && by_digest.count(*it->second->subject_digest) &&
        !expiring.count(*it->second->subject_digest)) {
      report("a referrer of " + *it->second->subject_digest + ", which the plan keeps");
      continue;
    }
    std::string reason = image.reason;
    if (image.rule_priority && reason.empty())
      reason = "rule " + std::to_string(*image.rule_priority);
    out.push_back({it->second, std::move(reason)});
  }
  return out;
}

}  // namespace

std::vector<StillPlanned> match_saved_repository(const SavedRepository& saved,
                                                 const std::vector<ImageRecord>& live,
                                                 std::vector<SavedPlanMismatch>& mismatches) {
  return match_list(saved, saved.expiring, false, live, mismatches);
}

std::vector<StillPlanned> match_saved_transitions(const SavedRepository& saved,
                                                  const std::vector<ImageRecord>& live,
                                                  std::vector<SavedPlanMismatch>& mismatches) {
  return match_list(saved, saved.transitioning, true, live, mismatches);
}

}  // namespace regsweep
