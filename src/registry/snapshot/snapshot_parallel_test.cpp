// The parallel parse of big snapshots (repositories parsed in blocks on several threads) must give
// exactly what a one-by-one parse gives: repositories in file order, and on bad input the first
// problem in file order, with its file, line, column and path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "registry/snapshot/repository_split.hpp"
#include "registry/snapshot/snapshot_reader.hpp"

namespace regsweep {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// One repository per line (line i + 2 holds repository i), three images each; `patch` may replace
// one repository's line.
// `trailer` ends the document: "" for `]}` (the shape the text search splits), or more keys.
std::string many_repositories(std::size_t count, std::size_t patched = SIZE_MAX,
                              const std::string& patch = "", const std::string& trailer = "") {
  std::string json = "{\"repositories\": [\n";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) json += ",\n";
    if (i == patched) {
      json += patch;
      continue;
    }
    const std::string name = "repo-" + std::to_string(i);
    json += "{\"repositoryName\": \"" + name + "\", \"imageDetails\": [";
    for (int k = 0; k < 3; ++k) {
      if (k > 0) json += ", ";
      json += "{\"imageDigest\": \"sha256:" + name + "-" + std::to_string(k) +
              "\", \"imageTags\": [\"v" + std::to_string(k) +
              "\"], \"imagePushedAt\": " + std::to_string(1700000000 + i * 10 + k) +
              ", \"imageManifestMediaType\": \"application/vnd.oci.image.manifest.v1+json\"}";
    }
    json += "]}";
  }
  json += "\n]" + trailer + "}\n";
  return json;
}

// Repositories, digests and tags, one line each, to compare two parses.
std::string summary(const Inventory& inventory) {
  std::string out;
  for (const auto& repo : inventory.repositories) {
    out += repo.name + ":";
    for (const auto& image : repo.images) {
      out += " " + image.digest + "[";
      for (const auto& tag : image.tags) out += tag + ",";
      out += "]@" + std::to_string(image.pushed_at);
    }
    out += "\n";
  }
  return out;
}

constexpr const char* k_trailers[] = {"", ", \"nextToken\": null"};

TEST(SnapshotParallel, KeepsFileOrderAndEveryField) {
  for (const std::string_view trailer : k_trailers) {
    auto inv =
        parse_snapshot(many_repositories(203, SIZE_MAX, "", std::string(trailer)), "big.json");
    ASSERT_TRUE(inv.ok()) << inv.error().message;
    ASSERT_EQ(inv->repositories.size(), 203u);
    for (std::size_t i = 0; i < 203; ++i) {
      const Repository& repo = inv->repositories[i];
      ASSERT_EQ(repo.name, "repo-" + std::to_string(i));
      ASSERT_EQ(repo.images.size(), 3u);
      for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(repo.images[k].digest, "sha256:" + repo.name + "-" + std::to_string(k));
        EXPECT_EQ(repo.images[k].tags, std::vector<std::string>{"v" + std::to_string(k)});
        EXPECT_EQ(repo.images[k].pushed_at,
                  static_cast<EpochMillis>(1700000000 + i * 10 + k) * 1000);
        EXPECT_EQ(repo.images[k].manifest_media_type.str(),
                  "application/vnd.oci.image.manifest.v1+json");
      }
    }
  }
}

// Text that looks like a repository's start, where the text search may cut (an image whose first
// key is "repositoryName", as describe-images output has it) or should not (inside strings), and
// keys with spaces and escapes: every such snapshot reads exactly as its plain twin.
TEST(SnapshotParallel, MisleadingTextReadsAsThePlainSnapshot) {
  const std::string plain = many_repositories(60);
  const auto expected = parse_snapshot(plain, "big.json");
  ASSERT_TRUE(expected.ok()) << expected.error().message;

  std::string nested = plain;  // every image of repository 30 starts with "repositoryName"
  const std::string at30 = "{\"imageDigest\": \"sha256:repo-30-";
  for (auto at = nested.find(at30); at != std::string::npos; at = nested.find(at30, at + 40))
    nested.insert(at + 1, "\"repositoryName\": \"repo-30\", ");

  std::string in_strings = plain;  // a tag and a key that hold the text, escaped
  const std::string tag = "[\"v1\"]";
  in_strings.replace(in_strings.find(tag), tag.size(),
                     R"(["v1"], "note": "x\", {\"repositoryName\": \"fake\", ")");

  std::string odd_keys = plain;  // spaces around colons, an escaped key
  const std::string key = "\"imagePushedAt\": ";
  odd_keys.replace(odd_keys.find(key), key.size(), "\"imagePushed\u0041t\"  :\n ");
  odd_keys.replace(odd_keys.find(key, odd_keys.size() / 2), key.size(), "\"imagePushedAt\" : ");

  std::string second_key = plain;  // repository 45 names itself second
  const std::string at45 = "{\"repositoryName\": \"repo-45\", ";
  second_key.replace(second_key.find(at45), at45.size(),
                     "{\"registryId\": \"1\", \"repositoryName\": \"repo-45\", ");

  // The text search cuts the nested and second-key variants wrongly (at an image; not at
  // repository 45), so those two read through the fallback.
  EXPECT_EQ(split_repositories(plain, 2)->size(), 60u);
  EXPECT_EQ(split_repositories(nested, 2)->size(), 62u);  // images 2 and 3: after a comma
  EXPECT_EQ(split_repositories(second_key, 2)->size(), 59u);
  for (const std::string& json : {nested, in_strings, odd_keys, second_key}) {
    ASSERT_NE(json, plain);
    auto inv = parse_snapshot(json, "big.json");
    ASSERT_TRUE(inv.ok()) << inv.error().message;
    EXPECT_EQ(summary(*inv), summary(*expected));
  }
}

TEST(SnapshotParallel, ErrorInALateRepositoryNamesFileLineColumnAndPath) {
  const std::string bad =
      "{\"repositoryName\": \"bad\", \"imageDetails\": [{\"imageDigest\": \"sha256:x\", "
      "\"imagePushedAt\": true}]}";
  for (const std::string_view trailer : k_trailers) {
    auto inv = parse_snapshot(many_repositories(150, 137, bad, std::string(trailer)), "big.json");
    ASSERT_FALSE(inv.ok());
    // Line 139 holds repository 137; the value `true` starts at column 89.
    EXPECT_THAT(inv.error().message,
                StartsWith("big.json:139:89: repositories[137].imageDetails[0].imagePushedAt: "
                           "expected a timestamp, got a boolean"));
  }
}

TEST(SnapshotParallel, FirstProblemInFileOrderWins) {
  // Repository 40 repeats the name of repository 3; repository 120 is broken too, later.
  std::string json =
      many_repositories(130, 40, "{\"repositoryName\": \"repo-3\", \"imageDetails\": []}");
  const std::string late = "{\"repositoryName\": \"repo-120\", \"imageDetails\": 7}";
  const auto at = json.find("{\"repositoryName\": \"repo-120\"");
  json.replace(at, json.find('\n', at) - at - 1, late);
  auto inv = parse_snapshot(json, "big.json");
  ASSERT_FALSE(inv.ok());
  EXPECT_THAT(inv.error().message, HasSubstr("repositories[40]: repository \"repo-3\" appears "
                                             "twice; merge its imageDetails into one entry"));
}

TEST(SnapshotParallel, DuplicateDigestsAndBrokenJsonAreStillReported) {
  const std::string twice =
      "{\"repositoryName\": \"dup\", \"imageDetails\": [{\"imageDigest\": \"sha256:d\", "
      "\"imagePushedAt\": 1}, {\"imageDigest\": \"sha256:d\", \"imagePushedAt\": 2}]}";
  auto dup = parse_snapshot(many_repositories(100, 77, twice), "big.json");
  ASSERT_FALSE(dup.ok());
  EXPECT_THAT(dup.error().message, HasSubstr("big.json: repositories[77]: repository \"dup\" "
                                             "lists image sha256:d twice"));

  std::string truncated = many_repositories(100);
  truncated.resize(truncated.size() / 2);
  auto broken = parse_snapshot(truncated, "big.json");
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.error().message, HasSubstr("not valid JSON here"));
}

}  // namespace
}  // namespace regsweep
