#include "registry/snapshot/snapshot_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <ostream>

#include "registry/snapshot/snapshot_registry.hpp"
#include "registry/snapshot/snapshot_writer.hpp"

namespace regsweep {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* k_snapshot = R"({
  "repositories": [
    {"repositoryName": "team/app", "registryId": "123456789012", "imageDetails": [
      {"imageDigest": "sha256:aa", "imageTags": ["v1.2.3", "latest"], "imagePushedAt": 1736899200.5,
       "imageSizeInBytes": 48318255, "lastRecordedPullTime": "2025-01-20T00:00:00Z",
       "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json", "extra": {"ignored": [1, 2]}},
      {"imageDigest": "sha256:bb", "imagePushedAt": "2025-01-01T00:00:00Z", "imageStatus": "ARCHIVED",
       "lastArchivedAt": 1736000000, "imageTags": []}
    ]},
    {"repositoryName": "empty", "imageDetails": []}
  ]
})";

TEST(SnapshotReader, ReadsRepositoriesShape) {
  auto inv = parse_snapshot(k_snapshot, "snap.json");
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  ASSERT_EQ(inv->repositories.size(), 2u);
  const auto& repo = inv->repositories[0];
  EXPECT_EQ(repo.name, "team/app");
  EXPECT_EQ(repo.registry_id, "123456789012");
  ASSERT_EQ(repo.images.size(), 2u);
  const auto& a = repo.images[0];
  EXPECT_EQ(a.digest, "sha256:aa");
  EXPECT_THAT(a.tags, ElementsAre("v1.2.3", "latest"));
  EXPECT_EQ(a.pushed_at, 1736899200500);
  EXPECT_EQ(a.size_bytes, 48318255u);
  EXPECT_EQ(a.last_pulled_at, parse_timestamp("2025-01-20T00:00:00Z"));
  EXPECT_EQ(a.status, ImageStatus::active);
  const auto& b = repo.images[1];
  EXPECT_TRUE(b.tags.empty());
  EXPECT_EQ(b.pushed_at, *parse_timestamp("2025-01-01T00:00:00Z"));
  EXPECT_EQ(b.status, ImageStatus::archived);
  EXPECT_EQ(b.last_archived_at, 1736000000000);
  EXPECT_TRUE(inv->repositories[1].images.empty());
}

TEST(SnapshotReader, ReadsDescribeImagesOutputGroupedByRepository) {
  auto inv = parse_snapshot(R"({"imageDetails": [
      {"repositoryName": "a", "imageDigest": "sha256:1", "imagePushedAt": 1},
      {"repositoryName": "b", "imageDigest": "sha256:2", "imagePushedAt": 2},
      {"repositoryName": "a", "imageDigest": "sha256:3", "imagePushedAt": 3}], "nextToken": "x"})",
                            "d.json");
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  ASSERT_EQ(inv->repositories.size(), 2u);
  EXPECT_EQ(inv->repositories[0].name, "a");
  EXPECT_EQ(inv->repositories[0].images.size(), 2u);
  EXPECT_EQ(inv->repositories[1].name, "b");
}

TEST(SnapshotReader, ReadsIndexChildrenAndArtifactSubjectFromManifest) {
  auto inv = parse_snapshot(R"({"repositories": [{"repositoryName": "r", "imageDetails": [
      {"imageDigest": "sha256:idx", "imagePushedAt": 1, "imageManifest":
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"digest\":\"sha256:c1\",\"platform\":{}},{\"digest\":\"sha256:c2\"}]}"},
      {"imageDigest": "sha256:sig", "imagePushedAt": 1, "imageManifest":
        "{\"schemaVersion\":2,\"subject\":{\"digest\":\"sha256:idx\",\"size\":10}}"},
      {"imageDigest": "sha256:att", "imagePushedAt": 1, "subjectManifestDigest": "sha256:c1"}]}]})",
                            "m.json");
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  const auto& images = inv->repositories[0].images;
  EXPECT_THAT(images[0].child_digests, ElementsAre("sha256:c1", "sha256:c2"));
  EXPECT_TRUE(images[0].is_index());
  EXPECT_TRUE(images[0].manifest.has_value());
  EXPECT_EQ(images[1].subject_digest, "sha256:idx");
  EXPECT_EQ(images[2].subject_digest, "sha256:c1");
}

struct BadCase {
  const char* json;
  const char* expected;  // substring of the message
};

// Names each case (in test names and CTest) by its expected message, as a stable slug:
// "imagePushedAt_is_missing" rather than the bytes of two pointers.
void PrintTo(const BadCase& c, std::ostream* os) {
  std::string slug;
  for (const char* p = c.expected; *p != '\0' && slug.size() < 48; ++p) {
    const bool word = std::isalnum(static_cast<unsigned char>(*p)) != 0;
    if (word) {
      slug += *p;
    } else if (!slug.empty() && slug.back() != '_') {
      slug += '_';
    }
  }
  *os << slug;
}

class SnapshotReaderErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(SnapshotReaderErrors, NameFilePathProblemAndFix) {
  auto inv = parse_snapshot(GetParam().json, "bad.json");
  ASSERT_FALSE(inv.ok());
  EXPECT_EQ(inv.error().code, ErrorCode::invalid_input);
  EXPECT_THAT(inv.error().message, HasSubstr(GetParam().expected));
  EXPECT_THAT(inv.error().message, HasSubstr("bad.json"));
}

INSTANTIATE_TEST_SUITE_P(
    All, SnapshotReaderErrors,
    ::testing::Values(
        BadCase{"{\"repositories\": [{\"repositoryName\": \"r\", \"imageDetails\": [\n"
                "{\"imageDigest\": \"sha256:1\", \"imagePushedAt\": 1},\n"
                "{\"imageDigest\": \"sha256:2\", \"imagePushedAt\": true}]}]}",
                "bad.json:3:46: repositories[0].imageDetails[1].imagePushedAt: expected a "
                "timestamp, got a boolean"},
        BadCase{
            R"({"repositories": [{"repositoryName": "r", "imageDetails": [{"imageDigest": "sha256:1",
                "imagePushedAt": "last tuesday"}]}]})",
            "imagePushedAt: \"last tuesday\" is not a timestamp; write epoch seconds"},
        BadCase{
            R"({"repositories": [{"repositoryName": "r", "imageDetails": [{"imageDigest": "sha256:1",
                "imagePushedAt": 1e300}]}]})",
            "imagePushedAt: 1e300 is not a time between the years 0000 and 9999"},
        BadCase{
            R"({"repositories": [{"repositoryName": "r", "imageDetails": [{"imageDigest": "sha256:1"}]}]})",
            "repositories[0].imageDetails[0]: imagePushedAt is missing"},
        BadCase{
            R"({"repositories": [{"repositoryName": "r", "imageDetails": [{"imagePushedAt": 1}]}]})",
            "imageDigest is missing"},
        BadCase{R"({"repositories": [{"imageDetails": []}]})",
                "repositories[0]: repositoryName is missing"},
        BadCase{R"({"repositories": [{"repositoryName": "r"}]})", "imageDetails is missing"},
        BadCase{R"({"images": []})", "neither \"repositories\""},
        BadCase{R"([1, 2])", "expected an object"},
        BadCase{
            R"({"repositories": [{"repositoryName": "r", "imageDetails": [{"imageDigest": "sha256:1",
                "imagePushedAt": 1, "imageTags": ["a", 7]}]}]})",
            "imageDetails[0].imageTags[1]: expected a string, got a number"},
        BadCase{
            R"({"repositories": [{"repositoryName": "r", "imageDetails": [{"imageDigest": "sha256:1",
                "imagePushedAt": 1, "imageStatus": "GONE"}]}]})",
            "imageStatus: \"GONE\" is not an image status; use ACTIVE, ARCHIVED or ACTIVATING"},
        BadCase{
            R"({"repositories": [{"repositoryName": "r", "imageDetails": [{"imageDigest": "sha256:1",
                "imagePushedAt": 1, "imageSizeInBytes": -5}]}]})",
            "imageSizeInBytes: expected a whole, non-negative number"},
        BadCase{
            R"({"repositories": [{"repositoryName": "r", "imageDetails": [{"imageDigest": "sha256:1",
                "imagePushedAt": 1, "imageManifest": "{not json"}]}]})",
            "imageManifest: the manifest body is not usable"},
        BadCase{R"({"repositories": [{"repositoryName": "r", "imageDetails": [
                {"imageDigest": "sha256:1", "imagePushedAt": 1}, {"imageDigest": "sha256:1", "imagePushedAt": 2}]}]})",
                "lists image sha256:1 twice"},
        BadCase{R"({"repositories": [{"repositoryName": "r", "imageDetails": []},
                                     {"repositoryName": "r", "imageDetails": []}]})",
                "repository \"r\" appears twice"},
        BadCase{R"({"imageDetails": [{"imageDigest": "sha256:1", "imagePushedAt": 1}]})",
                "imageDetails[0]: repositoryName is missing"},
        BadCase{R"({"repositories": [{"repositoryName": "r", "imageDetails": [}]})",
                "bad.json:1:60: repositories[0].imageDetails[0]: expected an imageDetail object"},
        BadCase{
            R"({"repositories": [{"repositoryName": "r", "imageDetails": [{"imageDigest": "sha256:1", "imageP)",
            "not valid JSON"},
        BadCase{
            R"({"repositories": [{"repositoryName": "r", "imageDetails": [{"imageDigest": "sha256:1" "x": 1}]}]})",
            "not valid JSON"},
        BadCase{R"({"repositories": []} {"x": 1})",
                "unexpected content after the top-level object"}));

TEST(SnapshotWriter, RoundTripsThroughTheReader) {
  auto first = parse_snapshot(
      R"({"repositories": [{"repositoryName": "r", "registryId": "1", "imageDetails": [
      {"imageDigest": "sha256:idx", "imageTags": ["v1", "we\"ird\n"], "imagePushedAt": 1736899200.123,
       "imageSizeInBytes": 10, "lastRecordedPullTime": 1736899300, "imageStatus": "ARCHIVED",
       "lastArchivedAt": 1736899400, "lastActivatedAt": 1736899500,
       "imageManifestMediaType": "application/vnd.oci.image.index.v1+json", "artifactMediaType": "x",
       "imageManifest": "{\"manifests\":[{\"digest\":\"sha256:c\"}]}"},
      {"imageDigest": "sha256:c", "imagePushedAt": 5, "subjectManifestDigest": "sha256:idx"}]}]})",
      "a.json");
  ASSERT_TRUE(first.ok()) << first.error().message;
  const std::string text = snapshot_to_json(*first);
  auto second = parse_snapshot(text, "b.json");
  ASSERT_TRUE(second.ok()) << second.error().message << "\n" << text;
  EXPECT_EQ(snapshot_to_json(*second), text);
  const auto& a = first->repositories[0].images[0];
  const auto& b = second->repositories[0].images[0];
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.pushed_at, b.pushed_at);
  EXPECT_EQ(a.last_pulled_at, b.last_pulled_at);
  EXPECT_EQ(a.last_archived_at, b.last_archived_at);
  EXPECT_EQ(a.last_activated_at, b.last_activated_at);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.child_digests, b.child_digests);
  EXPECT_EQ(a.manifest, b.manifest);
  EXPECT_EQ(second->repositories[0].images[1].subject_digest, "sha256:idx");
}

TEST(SnapshotRegistry, ListsAndIsReadOnly) {
  auto inv = parse_snapshot(k_snapshot, "snap.json");
  ASSERT_TRUE(inv.ok());
  SnapshotRegistry registry("snap.json", std::move(inv).value());
  auto repos = registry.list_repositories();
  ASSERT_TRUE(repos.ok());
  ASSERT_EQ(repos->size(), 2u);
  EXPECT_EQ((*repos)[0].name, "team/app");
  auto images = registry.list_images("team/app");
  ASSERT_TRUE(images.ok());
  EXPECT_EQ(images->size(), 2u);
  EXPECT_EQ(registry.list_images("nope").error().code, ErrorCode::not_found);
  auto described = registry.describe_images("team/app", {"sha256:bb", "sha256:zz"});
  ASSERT_TRUE(described.ok());
  ASSERT_EQ(described->size(), 1u);
  EXPECT_EQ((*described)[0].digest, "sha256:bb");
  auto deleted = registry.delete_images("team/app", {{"sha256:aa", ""}});
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.error().code, ErrorCode::invalid_input);
  EXPECT_THAT(deleted.error().message, HasSubstr("a snapshot is read-only"));
  EXPECT_FALSE(registry.put_lifecycle_policy("team/app", "{}").ok());
  EXPECT_FALSE(registry.delete_lifecycle_policy("team/app").ok());
  auto policy = registry.get_lifecycle_policy("team/app");
  ASSERT_TRUE(policy.ok());
  EXPECT_FALSE(policy->has_value());
}

}  // namespace
}  // namespace regsweep
