// Feeds arbitrary bytes to the image reference parser, with and without bare tags. Beyond "no
// crash, no sanitizer report": a reference that parses prints (to_string) to text that parses back
// to the same reference, and resolving it against a small repository is consistent (it is in use
// only by digests of that repository).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "inuse/image_reference.hpp"
#include "inuse/in_use.hpp"

namespace {

void check(std::string_view text, bool bare_tags) {
  auto ref = regsweep::parse_image_reference(text, bare_tags);
  if (!ref) return;
  const std::string printed = regsweep::to_string(*ref);
  auto again = regsweep::parse_image_reference(printed, bare_tags);
  if (!again || regsweep::to_string(*again) != printed || again->repository != ref->repository ||
      again->registry != ref->registry || again->tag != ref->tag || again->digest != ref->digest ||
      again->ecr_account != ref->ecr_account ||
      again->explicit_registry != ref->explicit_registry) {
    std::abort();
  }
  regsweep::InUseSet set;
  set.entries.push_back({std::string(text), "fuzz", *ref});
  std::vector<regsweep::ImageRecord> images(2);
  images[0].digest = "sha256:" + std::string(64, 'a');
  images[0].tags = {"v1", "latest"};
  images[1].digest = "sha256:" + std::string(64, 'b');
  const regsweep::InUseIndex index(set);
  for (const std::string& name : std::vector<std::string>{"library/app", "app", ref->repository}) {
    const auto in_use = index.resolve(regsweep::RepositoryLocation{name, "", "", ""}, images);
    for (const auto& [digest, item] : in_use.in_use) {
      if (digest != images[0].digest && digest != images[1].digest) std::abort();
      if (item.reasons.empty()) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(text, false);
  check(text, true);
  return 0;
}
