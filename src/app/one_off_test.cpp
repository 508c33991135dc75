#include "app/one_off.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace regsweep {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

constexpr EpochMillis k_now = 1'750'000'000'000;

ImageRecord image(const std::string& digest, std::vector<std::string> tags, int age_days) {
  ImageRecord r;
  r.digest = digest;
  r.tags = std::move(tags);
  r.pushed_at = k_now - age_days * k_millis_per_day;
  r.size_bytes = 10;
  return r;
}

std::vector<std::string> digests(const OneOffPlan& plan) {
  std::vector<std::string> out;
  for (const auto& item : plan.deletions.items) out.push_back(item.id.digest);
  return out;
}

TEST(OneOffDelete, ValidatesTheSelection) {
  EXPECT_FALSE(validate_selection({}).ok());
  EXPECT_FALSE(validate_selection({{"t"}, {}, true, {}}).ok());
  EXPECT_FALSE(validate_selection({{"t"}, {}, false, k_millis_per_day}).ok());
  EXPECT_TRUE(validate_selection({{}, {}, true, k_millis_per_day}).ok());
  EXPECT_TRUE(validate_selection({{"t"}, {"sha256:x"}, false, {}}).ok());
}

TEST(OneOffDelete, UntaggedOlderThanSparesChildrenAndReferrersOfKeptImages) {
  ImageRecord index = image("sha256:idx", {"v1"}, 30);
  index.child_digests = {"sha256:amd64", "sha256:arm64"};
  ImageRecord sig = image("sha256:sig", {}, 30);
  sig.subject_digest = "sha256:idx";
  ImageRecord orphan_index = image("sha256:oidx", {}, 30);
  orphan_index.child_digests = {"sha256:ochild"};
  const std::vector<ImageRecord> images = {index,
                                           image("sha256:amd64", {}, 30),
                                           image("sha256:arm64", {}, 30),
                                           sig,
                                           orphan_index,
                                           image("sha256:ochild", {}, 30),
                                           image("sha256:old", {}, 20),
                                           image("sha256:young", {}, 3),
                                           image("sha256:tagged", {"x"}, 90)};
  auto plan = plan_one_off("app", images, {{}, {}, true, 14 * k_millis_per_day}, k_now);
  ASSERT_TRUE(plan.ok());
  // The untagged index and its child go together; children/referrers of the tagged index stay.
  EXPECT_THAT(digests(*plan), UnorderedElementsAre("sha256:oidx", "sha256:ochild", "sha256:old"));
  EXPECT_EQ(plan->protected_count, 3u);
  EXPECT_EQ(plan->deletions.items[0].reason.substr(0, 8), "untagged");
}

TEST(OneOffDelete, TagsUntagUnlessTheLastTagGoesAndDigestsDeleteWhole) {
  const std::vector<ImageRecord> images = {image("sha256:a", {"a1", "a2"}, 1),
                                           image("sha256:b", {"b1", "b2"}, 1),
                                           image("sha256:c", {"c1"}, 1)};
  auto plan =
      plan_one_off("app", images,
                   {{"a1", "b1", "b2", "nope", "c1"}, {"sha256:c", "sha256:zz"}, false, {}}, k_now);
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(plan->not_found, UnorderedElementsAre("nope", "sha256:zz"));
  std::vector<std::string> sent;
  std::uint64_t frees = 0;
  for (const auto& item : plan->deletions.items) {
    sent.push_back(item.id.digest.empty() ? "tag:" + item.id.tag : item.id.digest);
    if (item.frees_image) ++frees;
  }
  // c is deleted by digest (its tag needs no item); a loses a1 only; b goes with its last tag.
  EXPECT_THAT(sent, ElementsAre("sha256:c", "tag:a1", "tag:b1", "tag:b2"));
  EXPECT_EQ(frees, 2u);
  EXPECT_FALSE(plan->deletions.items[1].frees_image);
  EXPECT_TRUE(plan->deletions.items[3].frees_image);
}

}  // namespace
}  // namespace regsweep
