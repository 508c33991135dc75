// split_repositories() cuts a snapshot at its repositories without parsing it. Where it cannot be
// sure it says nullopt, and where it cut wrongly the caller's parse of each range fails (tests in
// snapshot_parallel_test.cpp): here, that the cuts it makes are the elements' exact bytes.
#include "registry/snapshot/repository_split.hpp"

#include <gtest/gtest.h>

#include <string>

namespace regsweep {
namespace {

std::vector<std::string> pieces(std::string_view json, const std::vector<ByteRange>& ranges) {
  std::vector<std::string> out;
  for (const auto& range : ranges) out.emplace_back(json.substr(range.offset, range.length));
  return out;
}

TEST(RepositorySplit, CutsCompactAndPrettyPrintedSnapshotsAtEachRepository) {
  const std::string compact =
      R"({"repositories":[{"repositoryName":"a","imageDetails":[]},{"repositoryName":"b","imageDetails":[{"imageDigest":"sha256:1"}]}]})";
  auto ranges = split_repositories(compact, 1);
  ASSERT_TRUE(ranges);
  EXPECT_EQ(pieces(compact, *ranges),
            (std::vector<std::string>{
                R"({"repositoryName":"a","imageDetails":[]})",
                R"({"repositoryName":"b","imageDetails":[{"imageDigest":"sha256:1"}]})"}));

  const std::string pretty =
      "{\n  \"repositories\" : [\n    {\n      \"repositoryName\": \"a\",\n      "
      "\"imageDetails\": []\n    } ,\n    { \"repositoryName\" : \"b\", \"imageDetails\": [] "
      "}\n  ]\n}\n";
  ranges = split_repositories(pretty, 2);
  ASSERT_TRUE(ranges);
  EXPECT_EQ(pieces(pretty, *ranges),
            (std::vector<std::string>{
                "{\n      \"repositoryName\": \"a\",\n      \"imageDetails\": []\n    }",
                "{ \"repositoryName\" : \"b\", \"imageDetails\": [] }"}));
}

TEST(RepositorySplit, AnyNumberOfThreadsCutsTheSame) {
  std::string json = "{\"repositories\": [\n";
  for (int i = 0; i < 500; ++i) {
    if (i > 0) json += ",\n";
    json += "{\"repositoryName\": \"r" + std::to_string(i) +
            "\", \"imageDetails\": [{\"imageDigest\": \"sha256:" + std::to_string(i) + "\"}]}";
  }
  json += "\n]}";
  const auto one = split_repositories(json, 1);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 500u);
  for (int threads : {2, 3, 7, 64}) {
    const auto many = split_repositories(json, threads);
    ASSERT_TRUE(many) << threads;
    EXPECT_EQ(pieces(json, *many), pieces(json, *one)) << threads;
  }
}

TEST(RepositorySplit, SkipsTheNameWhereItIsNotARepositorysFirstKey) {
  // "repositoryName" as a later key, as a value and as the first key of an image (an array's first
  // element, after '['): none starts a range.
  const std::string json =
      R"({"repositories":[{"repositoryName":"a","x":{"y":1,"repositoryName":"no"},)"
      R"("imageDetails":[{"repositoryName":"also no","imageDigest":"sha256:1"}],"z":"repositoryName"}]})";
  const auto ranges = split_repositories(json, 1);
  ASSERT_TRUE(ranges);
  ASSERT_EQ(ranges->size(), 1u);
  EXPECT_EQ(pieces(json, *ranges)[0], json.substr(17, json.size() - 19));
}

TEST(RepositorySplit, AnObjectNestedAfterACommaIsCutThereAndLeftForTheParseToRefuse) {
  // The second image starts with "repositoryName" after a comma: a (wrong) cut, which leaves the
  // first range with unclosed brackets; the reader then falls back to parsing (see
  // snapshot_parallel_test.cpp).
  const std::string json =
      R"({"repositories":[{"repositoryName":"a","imageDetails":[{"imageDigest":"sha256:1"},)"
      R"({"repositoryName":"a","imageDigest":"sha256:2"}]}]})";
  const auto ranges = split_repositories(json, 1);
  ASSERT_TRUE(ranges);
  ASSERT_EQ(ranges->size(), 2u);
  EXPECT_EQ(pieces(json, *ranges)[0],
            R"({"repositoryName":"a","imageDetails":[{"imageDigest":"sha256:1"})");
}

TEST(RepositorySplit, LeavesOtherShapesToTheParser) {
  for (const std::string& json : {
           std::string(R"({"imageDetails":[{"imageDigest":"sha256:1","repositoryName":"a"}]})"),
           std::string(R"({"repositories":[]})"),
           std::string(
               R"({"repositories":[{"repositoryName":"a","imageDetails":[]}],"nextToken":null})"),
           std::string(
               R"({"version":1,"repositories":[{"repositoryName":"a","imageDetails":[]}]})"),
           std::string(R"({"repositories":[{"imageDetails":[],"repositoryName":"a"}]})"),
           std::string(R"({"repositories":[{"repositoryName":"a","imageDetails":[]}])"),
           std::string(R"({"repositories":[{"repositoryName":"a","imageDetails":[]}]} trailing)"),
           std::string(""),
           std::string("[]"),
       }) {
    EXPECT_FALSE(split_repositories(json, 2)) << json;
  }
}

TEST(RepositorySplit, ARepositoryNotStartingWithItsNameStaysInThePreviousRange) {
  // Not cut at the second repository: the one range holds two objects, which the reader's parse
  // of a range refuses (then it falls back to parsing the whole document).
  const std::string json =
      R"({"repositories":[{"repositoryName":"a","imageDetails":[]},{"imageDetails":[],"repositoryName":"b"}]})";
  const auto ranges = split_repositories(json, 1);
  ASSERT_TRUE(ranges);
  ASSERT_EQ(ranges->size(), 1u);
  EXPECT_EQ(pieces(json, *ranges)[0], json.substr(17, json.size() - 19));
}

}  // namespace
}  // namespace regsweep
