#include "inuse/in_use.hpp"

#include <set>
#include <utility>

#include "util/ascii.hpp"

namespace regsweep {
namespace {

bool name_matches(const ImageReference& reference, const std::string& name) {
  if (reference.repository == name) return true;
  // "nginx" written without a host also names a repository "nginx" of the user's own registry.
  return !reference.explicit_registry && reference.repository.starts_with("library/") &&
         reference.repository.compare(8, std::string::npos, name) == 0;
}

void add_reason(RepositoryInUse& out, const std::string& digest, const InUseEntry& entry,
                const std::string& via) {
  auto& item = out.in_use[digest];
  item.digest = digest;
  item.reasons.push_back("in use: " + entry.source + ": " + entry.raw + via);
}

}  // namespace

Status InUseSet::add(std::string raw, std::string source, bool allow_bare_tag) {
  auto reference = parse_image_reference(raw, allow_bare_tag);
  if (!reference) {
    Error error = reference.error();
    error.message = source + ": " + error.message;
    return error;
  }
  entries.push_back(InUseEntry{std::move(raw), std::move(source), std::move(*reference)});
  return ok_status();
}

void merge_in_use(InUseSet& into, const InUseSet& other) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& entry : into.entries) seen.emplace(entry.raw, entry.source);
  for (const auto& entry : other.entries) {
    if (seen.emplace(entry.raw, entry.source).second) into.entries.push_back(entry);
  }
  std::set<std::string> sources(into.sources.begin(), into.sources.end());
  for (const auto& source : other.sources) {
    if (sources.insert(source).second) into.sources.push_back(source);
  }
  into.problems.insert(into.problems.end(), other.problems.begin(), other.problems.end());
}

RepositoryLocation location_of(const Repository& repository) {
  RepositoryLocation location;
  location.name = repository.name;
  location.account = repository.registry_id;
  location.region = repository.region;
  if (!repository.registry_id.empty() && !repository.region.empty()) {
    location.registry_host =
        repository.registry_id + ".dkr.ecr." + repository.region + ".amazonaws.com";
    if (repository.region.starts_with("cn-")) location.registry_host += ".cn";
  }
  return location;
}

bool reference_matches(const ImageReference& reference, const RepositoryLocation& location) {
  if (reference.bare()) return true;
  if (!name_matches(reference, location.name)) return false;
  if (!reference.explicit_registry) return true;
  if (reference.is_ecr()) {
    if (!location.account.empty() && reference.ecr_account != location.account) return false;
    if (!location.region.empty() && reference.ecr_region != location.region) return false;
    return true;
  }
  if (!location.registry_host.empty())
    return ascii_iequals(reference.registry, location.registry_host);
  // A repository known to be ECR (an account) is not on some other host; one of unknown origin is.
  return location.account.empty();
}

InUseIndex::InUseIndex(const InUseSet& set) {
  for (const auto& entry : set.entries) {
    const auto& ref = entry.reference;
    if (ref.bare()) {
      m_bare.push_back(&entry);
      continue;
    }
    m_by_name[ref.repository].push_back(&entry);
    if (!ref.explicit_registry && ref.repository.starts_with("library/")) {
      m_by_name[ref.repository.substr(8)].push_back(&entry);
    }
  }
}

RepositoryInUse InUseIndex::resolve(const RepositoryLocation& location,
                                    const std::vector<ImageRecord>& images) const {
  std::unordered_map<std::string, const ImageRecord*> by_digest;
  std::unordered_map<std::string, const ImageRecord*> by_tag;
  for (const auto& image : images) {
    by_digest.emplace(image.digest, &image);
    for (const auto& tag : image.tags) by_tag.emplace(tag, &image);
  }
  RepositoryInUse out;
  auto apply = [&](const InUseEntry& entry, bool report) {
    const auto& ref = entry.reference;
    if (!reference_matches(ref, location)) return;
    if (!ref.digest.empty()) {
      if (by_digest.count(ref.digest)) {
        add_reason(out, ref.digest, entry, "");
      } else if (report) {
        out.unresolved.push_back(
            {entry.raw, entry.source, "digest " + ref.digest + " is not in " + location.name});
      }
    }
    // No tag and no digest means ":latest", as every container runtime reads it.
    const std::string tag = ref.tag.empty() && ref.digest.empty() ? "latest" : ref.tag;
    if (!tag.empty()) {
      if (auto it = by_tag.find(tag); it != by_tag.end()) {
        add_reason(out, it->second->digest, entry, " (tag " + tag + ")");
      } else if (report && ref.digest.empty()) {
        out.unresolved.push_back(
            {entry.raw, entry.source, "tag " + tag + " is on no image of " + location.name});
      }
    }
  };
  if (auto it = m_by_name.find(location.name); it != m_by_name.end()) {
    for (const auto* entry : it->second) apply(*entry, true);
  }
  for (const auto* entry : m_bare) apply(*entry, false);
  return out;
}

}  // namespace regsweep
