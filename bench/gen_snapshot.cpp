// Writes a synthetic snapshot for the plan benchmark: REPOS repositories of IMAGES images each,
// shaped like real `aws ecr describe-images` output (digests, git-sha/semver/prod-/latest tags,
// about a third untagged, multi-arch indexes with their children, media types, pull times;
// timestamps half as epoch-second numbers as the API sends them, half as the ISO strings the AWS
// CLI v2 prints). Deterministic for a given seed.  usage: bench_gen_snapshot OUT.json [REPOS]
// [IMAGES] [SEED]
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "util/time.hpp"

namespace {

constexpr std::int64_t k_now = 1'793'491'200;    // 2026-11-01T00:00:00Z, the benchmark's --now
constexpr std::int64_t k_span = 548LL * 86'400;  // 18 months of pushes

std::string hex(std::mt19937_64& rng, int digits) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  while (static_cast<int>(out.size()) < digits) {
    std::uint64_t bits = rng();
    for (int i = 0; i < 16 && static_cast<int>(out.size()) < digits; ++i, bits >>= 4)
      out.push_back(k_hex[bits & 15]);
  }
  return out;
}

std::string timestamp(std::int64_t seconds, bool iso) {
  if (!iso) return std::to_string(seconds) + ".123";
  std::string text = regsweep::format_iso8601(seconds * 1000);
  text.pop_back();  // 'Z' -> "+00:00", as the AWS CLI v2 prints
  return "\"" + text + ".123000+00:00\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT.json [REPOS] [IMAGES_PER_REPO] [SEED]\n", argv[0]);
    return 2;
  }
  const long repos = argc > 2 ? std::atol(argv[2]) : 10'000;
  const long per_repo = argc > 3 ? std::atol(argv[3]) : 100;
  std::mt19937_64 rng(argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 42);
  std::FILE* out = std::fopen(argv[1], "wb");
  if (out == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  static char buffer[1 << 20];
  std::setvbuf(out, buffer, _IOFBF, sizeof buffer);
  std::fputs("{\"repositories\":[\n", out);
  std::uniform_int_distribution<std::int64_t> age(0, k_span);
  std::uniform_int_distribution<std::uint64_t> size(20'000'000, 900'000'000);
  std::uniform_int_distribution<int> pct(0, 99);
  long images = 0;
  for (long r = 0; r < repos; ++r) {
    std::fprintf(out,
                 "%s{\"repositoryName\":\"team-%ld/"
                 "service-%ld\",\"registryId\":\"123456789012\",\"imageDetails\":[\n",
                 r == 0 ? "" : ",\n", r / 50, r);
    for (long i = 0; i < per_repo; ++i) {
      const std::int64_t pushed = k_now - age(rng);
      const int kind = pct(rng);
      std::string tags;
      if (kind < 35) {
        tags = "";  // untagged (a child, or a build whose moving tag moved on)
      } else if (kind < 75) {
        tags = "\"git-" + hex(rng, 7) + "\"";
      } else if (kind < 90) {
        tags = "\"v" + std::to_string(pct(rng) % 5) + "." + std::to_string(pct(rng)) + "." +
               std::to_string(i) + "\",\"git-" + hex(rng, 7) + "\"";
      } else if (kind < 99) {
        tags = "\"prod-" + std::to_string(pushed) + "\",\"v2." + std::to_string(i) + ".0\"";
      } else {
        tags = "\"latest\",\"stable\"";
      }
      const bool iso = (i & 1) != 0;
      std::fprintf(out, "%s{\"imageDigest\":\"sha256:%s\",", i == 0 ? "" : ",\n",
                   hex(rng, 64).c_str());
      if (!tags.empty()) std::fprintf(out, "\"imageTags\":[%s],", tags.c_str());
      std::fprintf(out, "\"imagePushedAt\":%s,\"imageSizeInBytes\":%" PRIu64 ",",
                   timestamp(pushed, iso).c_str(), size(rng));
      if (pct(rng) < 70) {
        std::fprintf(out, "\"lastRecordedPullTime\":%s,",
                     timestamp(pushed + age(rng) / 4, iso).c_str());
      }
      std::fputs(
          "\"imageManifestMediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
          "\"artifactMediaType\":\"application/vnd.docker.container.image.v1+json\"}",
          out);
      ++images;
    }
    std::fputs("]}", out);
  }
  std::fputs("\n]}\n", out);
  if (std::fclose(out) != 0) {
    std::perror(argv[1]);
    return 1;
  }
  std::fprintf(stderr, "wrote %ld repositories, %ld images to %s\n", repos, images, argv[1]);
  return 0;
}
