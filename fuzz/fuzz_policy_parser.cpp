// Feeds arbitrary bytes to the lifecycle policy parser. Properties checked beyond "no crash, no
// sanitizer report": a policy that parses evaluates without trouble on a small fixed repository,
// and its canonical JSON parses again to the same canonical JSON.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "policy/evaluate.hpp"
#include "policy/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = regsweep::parse_policy(text, "fuzz.json");
  if (!policy) return 0;
  std::vector<regsweep::ImageRecord> images(3);
  images[0].digest = "sha256:a";
  images[0].tags = {"prod-1", "latest"};
  images[1].digest = "sha256:b";
  images[1].pushed_at = 86'400'000;
  images[2].digest = "sha256:c";
  images[2].status = regsweep::ImageStatus::archived;
  images[2].last_archived_at = 0;
  const auto verdicts = regsweep::evaluate_policy(*policy, images, 400LL * 86'400'000);
  if (verdicts.size() != images.size()) std::abort();
  const std::string canonical = regsweep::to_policy_json(*policy);
  auto again = regsweep::parse_policy(canonical, "canonical.json");
  if (!again || regsweep::to_policy_json(*again) != canonical) std::abort();
  return 0;
}
