#include "web/image_rows.hpp"

#include <gtest/gtest.h>

#include "support/policy_fixtures.hpp"

namespace regsweep::web {
namespace {

using testing::image;
using testing::k_day;
using testing::k_test_now;

// An index (tagged v3) with two untagged children, a signature of the index, a plain tagged image
// and two untagged images of different ages.
Repository repository() {
  Repository repo;
  repo.name = "app";
  ImageRecord index = image("index", {"v3"}, 40 * k_day);
  index.child_digests = {"sha256:amd64", "sha256:arm64"};
  index.size_bytes = 10;
  ImageRecord amd64 = image("amd64", {}, 40 * k_day);
  amd64.size_bytes = 300;
  ImageRecord arm64 = image("arm64", {}, 40 * k_day);
  arm64.size_bytes = 200;
  ImageRecord sig = image("sig", {}, 39 * k_day);
  sig.subject_digest = "sha256:index";
  sig.size_bytes = 0;
  sig.artifact_media_type = InternedString("application/vnd.dev.cosign.artifact.sig.v1+json");
  ImageRecord plain = image("plain", {"v1", "latest"}, 100 * k_day);
  plain.size_bytes = 500;
  ImageRecord old_untagged = image("old", {}, 60 * k_day);
  old_untagged.size_bytes = 50;
  ImageRecord new_untagged = image("new", {}, 2 * k_day);
  new_untagged.size_bytes = 50;
  repo.images = {index, amd64, arm64, sig, plain, old_untagged, new_untagged};
  return repo;
}

std::vector<std::string> digests(const Repository& repo, const std::vector<ImageRow>& rows,
                                 const QueryResult& result) {
  std::vector<std::string> out;
  for (const auto& q : result.page)
    out.push_back(repo.images[rows[q.row].index].digest.substr(7) + ":" + std::to_string(q.depth));
  return out;
}

TEST(ImageRows, KindsAndWhereEachImageBelongs) {
  const Repository repo = repository();
  const auto rows = build_rows(repo, nullptr, nullptr, k_test_now);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0].kind, "index");
  EXPECT_EQ(rows[1].kind, "image");
  EXPECT_EQ(rows[3].kind, "signature");
  EXPECT_EQ(rows[1].parent, 0);
  EXPECT_EQ(rows[1].relation, "child of index v3");
  EXPECT_EQ(rows[3].parent, 0);
  EXPECT_EQ(rows[3].relation, "signature of v3");
  EXPECT_EQ(rows[4].parent, -1);
  EXPECT_EQ(rows[4].reason, "keep: not planned");
}

TEST(ImageRows, VerdictReasonsComeFromThePlanAndItsProtections) {
  Repository repo = repository();
  Inventory inventory{{repo}, {}};
  const Policy policy = testing::policy_from(R"({"rules":[{"rulePriority":1,
      "selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days",
      "countNumber":30},"action":{"type":"expire"}}]})");
  PlanOptions options;
  options.now = k_test_now;
  const Plan plan = build_plan(inventory, policy, options);
  const Repository& planned = *plan.repositories[0].repository;
  const auto rows = build_rows(planned, &plan.repositories[0], &policy, k_test_now);
  EXPECT_EQ(rows[5].action, "expire");  // old untagged
  EXPECT_EQ(rows[5].reason.rfind("expire: rule 1 expires untagged images", 0), 0u)
      << rows[5].reason;
  EXPECT_FALSE(rows[5].protected_by_regsweep);
  EXPECT_EQ(rows[6].action, "keep");  // 2 days old
  // The index's children are untagged and old, but their index stays (ECR's own rule).
  EXPECT_EQ(rows[1].action, "keep");
  EXPECT_EQ(rows[1].reason,
            "keep: rule 1 would expire it, but an image index that stays references it");
}

TEST(ImageRows, NestsChildrenAndReferrersUnderTheirImageWhenBothMatch) {
  const Repository repo = repository();
  const auto rows = build_rows(repo, nullptr, nullptr, k_test_now);
  ImageQuery query;
  query.sort = SortKey::pushed;
  query.descending = true;
  const QueryResult all = query_rows(repo, rows, query, k_test_now);
  EXPECT_EQ(all.matched, 7u);
  EXPECT_EQ(all.top_level, 4u);  // index (with 3 nested), plain, two untagged
  EXPECT_EQ(digests(repo, rows, all),
            (std::vector<std::string>{"new:0", "index:0", "sig:1", "arm64:1", "amd64:1", "old:0",
                                      "plain:0"}));
}

TEST(ImageRows, FiltersUntaggedOlderThanAndShowsChildrenWhoseParentDoesNotMatchAtTopLevel) {
  const Repository repo = repository();
  const auto rows = build_rows(repo, nullptr, nullptr, k_test_now);
  ImageQuery query;
  query.untagged = true;
  query.older_than = 30 * k_day;
  query.sort = SortKey::size;
  const QueryResult result = query_rows(repo, rows, query, k_test_now);
  EXPECT_EQ(result.matched, 4u);  // amd64, arm64, sig, old; not "new" (2 days)
  EXPECT_EQ(result.matched_bytes, 300u + 200 + 0 + 50);
  EXPECT_EQ(digests(repo, rows, result),
            (std::vector<std::string>{"amd64:0", "arm64:0", "old:0", "sig:0"}));
  query.untagged = false;
  query.older_than.reset();
  query.tag_glob = "v*";
  EXPECT_EQ(query_rows(repo, rows, query, k_test_now).matched, 2u);  // v3, v1
  query.tag_glob = "";
  query.text = "lates";
  EXPECT_EQ(query_rows(repo, rows, query, k_test_now).matched, 1u);
}

TEST(ImageRows, SortsWithADigestTieBreakAndPages) {
  Repository repo;
  repo.name = "many";
  for (int i = 0; i < 250; ++i) {
    ImageRecord img = image("d" + std::to_string(1000 + i), {"t" + std::to_string(i)}, k_day);
    img.size_bytes = static_cast<std::uint64_t>(i % 10);
    repo.images.push_back(img);
  }
  const auto rows = build_rows(repo, nullptr, nullptr, k_test_now);
  ImageQuery query;
  query.sort = SortKey::size;
  query.descending = false;
  query.limit = 100;
  query.offset = 200;
  const QueryResult page = query_rows(repo, rows, query, k_test_now);
  EXPECT_EQ(page.top_level, 250u);
  ASSERT_EQ(page.page.size(), 50u);
  // Sizes 0..9, 25 images each; page three starts in size 8, digests ascending within a size.
  EXPECT_EQ(repo.images[rows[page.page[0].row].index].size_bytes, 8u);
  EXPECT_EQ(repo.images[rows[page.page[0].row].index].digest, "sha256:d1008");
  EXPECT_EQ(repo.images[rows[page.page[49].row].index].digest, "sha256:d1249");
  EXPECT_EQ(page.all.size(), 250u);
}

}  // namespace
}  // namespace regsweep::web
