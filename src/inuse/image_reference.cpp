#include "inuse/image_reference.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "util/ascii.hpp"

namespace regsweep {
namespace {

constexpr std::size_t k_max_reference_length = 4096;

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// One path component: [a-z0-9]+ joined by '.', '_', '__' or runs of '-'.
bool valid_path_component(std::string_view part) {
  if (part.empty() || !is_lower_alnum(part.front()) || !is_lower_alnum(part.back())) return false;
  for (std::size_t i = 0; i < part.size(); ++i) {
    const char c = part[i];
    if (is_lower_alnum(c) || c == '-') continue;
    if (c == '.' || c == '_') {
      // a separator must sit between alphanumerics ('__' counts as one separator)
      const bool double_underscore = c == '_' && i + 1 < part.size() && part[i + 1] == '_';
      const std::size_t next = i + (double_underscore ? 2 : 1);
      if (!is_lower_alnum(part[i - 1]) || next >= part.size() || !is_lower_alnum(part[next]))
        return false;
      i = next - 1;
      continue;
    }
    return false;
  }
  return true;
}

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
           c == '[' || c == ']';
  });
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

Error bad(std::string_view text, std::string_view problem) {
  std::string shown(text.substr(0, 200));
  return make_error(ErrorCode::invalid_input,
                    "image reference '" + shown + "': " + std::string(problem) +
                        "; write [host/]repository[:tag][@sha256:<64 hex>], a tag, or a digest");
}

}  // namespace

bool is_valid_digest(std::string_view text) {
  std::size_t hex_length = 0;
  if (text.starts_with("sha256:")) {
    hex_length = 64;
  } else if (text.starts_with("sha512:")) {
    hex_length = 128;
  } else {
    return false;
  }
  const auto hex = text.substr(7);
  return hex.size() == hex_length && std::all_of(hex.begin(), hex.end(), is_hex);
}

bool is_valid_tag(std::string_view text) {
  if (text.empty() || text.size() > 128) return false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!word(text.front())) return false;
  return std::all_of(text.begin(), text.end(),
                     [&](char c) { return word(c) || c == '.' || c == '-'; });
}

bool parse_ecr_host(std::string_view host, std::string& account, std::string& region) {
  const std::string name = ascii_lower(host);
  const auto labels = split(name, '.');
  if (labels.size() < 5) return false;
  const auto id = labels[0];
  if (id.size() != 12 ||
      !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  auto valid_region = [](std::string_view r) {
    return !r.empty() &&
           std::all_of(r.begin(), r.end(), [](char c) { return is_lower_alnum(c) || c == '-'; });
  };
  std::string_view found;
  if (labels[1] == "dkr" && (labels[2] == "ecr" || labels[2] == "ecr-fips") && labels.size() >= 6 &&
      labels[4] == "amazonaws" && labels[5] == "com" &&
      (labels.size() == 6 || (labels.size() == 7 && labels[6] == "cn"))) {
    found = labels[3];
  } else if ((labels[1] == "dkr-ecr" || labels[1] == "dkr-ecr-fips") && labels.size() == 5 &&
             labels[3] == "on" && labels[4] == "aws") {
    found = labels[2];
  }
  if (!valid_region(found)) return false;
  account = std::string(id);
  region = std::string(found);
  return true;
}

Result<ImageReference> parse_image_reference(std::string_view text, bool allow_bare_tag) {
  if (text.empty()) return bad(text, "empty");
  if (text.size() > k_max_reference_length) return bad(text, "longer than 4096 characters");
  for (const std::string_view prefix : {"docker-pullable://", "docker://"}) {
    if (text.starts_with(prefix)) {
      text.remove_prefix(prefix.size());
      break;
    }
  }
  ImageReference ref;
  if (is_valid_digest(ascii_lower(text))) {
    ref.digest = ascii_lower(text);
    return ref;
  }
  std::string_view name = text;
  if (const auto at = text.find('@'); at != std::string_view::npos) {
    const std::string digest = ascii_lower(text.substr(at + 1));
    if (!is_valid_digest(digest))
      return bad(text, "the digest after '@' is not sha256:<64 hex> or sha512:<128 hex>");
    ref.digest = digest;
    name = text.substr(0, at);
  }
  const auto last_slash = name.rfind('/');
  const auto colon = name.rfind(':');
  if (colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    const auto tag = name.substr(colon + 1);
    if (!is_valid_tag(tag)) return bad(text, "the tag is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    ref.tag = std::string(tag);
    name = name.substr(0, colon);
  }
  if (name.empty()) return bad(text, "no repository name");
  auto parts = split(name, '/');
  const auto first = parts.front();
  if (parts.size() > 1 &&
      (first.find_first_of(".:") != std::string_view::npos || first == "localhost")) {
    if (!valid_host(first))
      return bad(text, "the registry host has characters a host name cannot have");
    ref.registry = ascii_lower(first);
    if (ref.registry == "index.docker.io" || ref.registry == "registry-1.docker.io")
      ref.registry = "docker.io";
    ref.explicit_registry = true;
    parts.erase(parts.begin());
  } else {
    ref.registry = "docker.io";
  }
  // A bare word with no host, tag or digest is a tag where the caller allows bare tags.
  if (allow_bare_tag && !ref.explicit_registry && parts.size() == 1 && ref.tag.empty() &&
      ref.digest.empty() && name.find(':') == std::string_view::npos) {
    if (!is_valid_tag(name)) return bad(text, "not a valid tag");
    ImageReference bare;
    bare.tag = std::string(name);
    return bare;
  }
  for (const auto part : parts) {
    if (!valid_path_component(part)) {
      return bad(text,
                 "repository path component '" + std::string(part.substr(0, 100)) +
                     "' is not lower-case letters and digits joined by '.', '_', '__' or '-'");
    }
  }
  std::string repository;
  for (const auto part : parts) {
    if (!repository.empty()) repository += '/';
    repository += part;
  }
  if (ref.registry == "docker.io" && parts.size() == 1) repository = "library/" + repository;
  ref.repository = std::move(repository);
  parse_ecr_host(ref.registry, ref.ecr_account, ref.ecr_region);
  return ref;
}

std::string to_string(const ImageReference& reference) {
  if (reference.bare()) return reference.digest.empty() ? reference.tag : reference.digest;
  std::string out;
  if (reference.explicit_registry) {
    out = reference.registry + "/" + reference.repository;
  } else {
    out = reference.repository;
  }
  if (!reference.tag.empty()) out += ":" + reference.tag;
  if (!reference.digest.empty()) out += "@" + reference.digest;
  return out;
}

}  // namespace regsweep
