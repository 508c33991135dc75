// The ECR backend against a scripted AwsJsonClient that records every call: pagination, all-or-
// nothing listing, manifest reading, delete chunking and failure reporting, lifecycle not-found.
#include "registry/ecr/ecr_registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>

namespace regsweep {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

struct RecordedCall {
  std::string operation;
  json request;
};

// Answers each call with the handler's result; records operation and parsed request.
class FakeJsonClient final : public AwsJsonClient {
 public:
  using Handler = std::function<Result<std::string>(const std::string& op, const json& request)>;
  explicit FakeJsonClient(Handler handler) : m_handler(std::move(handler)) {}

  Result<std::string> call(std::string_view operation, const std::string& request_json) override {
    std::lock_guard lock(m_mutex);
    json request = json::parse(request_json);
    m_calls.push_back({std::string(operation), request});
    return m_handler(std::string(operation), request);
  }

  std::vector<RecordedCall> calls(const std::string& operation) const {
    std::lock_guard lock(m_mutex);
    std::vector<RecordedCall> out;
    for (const auto& c : m_calls) {
      if (c.operation == operation) out.push_back(c);
    }
    return out;
  }

 private:
  Handler m_handler;
  mutable std::mutex m_mutex;
  std::vector<RecordedCall> m_calls;
};

Error service_error(ErrorCode code, std::string name) {
  Error e = make_error(code, name + ": message");
  e.service_code = std::move(name);
  return e;
}

std::string digest_of(int i) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "sha256:%064d", i);
  return buf;
}

json detail(int i) {
  return {{"imageDigest", digest_of(i)},
          {"imageTags", {"v" + std::to_string(i)}},
          {"imagePushedAt", 1.7e9 + i},
          {"imageSizeInBytes", 1000 + i},
          {"imageManifestMediaType", "application/vnd.oci.image.manifest.v1+json"},
          {"artifactMediaType", "application/vnd.oci.image.config.v1+json"}};
}

// Serves `total` images in pages of `page_size`; page `fail_page` (1-based) fails if set.
FakeJsonClient::Handler paged_images(int total, int page_size, int fail_page = 0) {
  return [=](const std::string& op, const json& request) -> Result<std::string> {
    if (op != "DescribeImages") return std::string("{}");
    const int start =
        request.contains("nextToken") ? std::stoi(request["nextToken"].get<std::string>()) : 0;
    if (fail_page != 0 && start / page_size + 1 == fail_page) {
      return service_error(ErrorCode::transient, "ServerException");
    }
    json page = {{"imageDetails", json::array()}};
    for (int i = start; i < std::min(total, start + page_size); ++i)
      page["imageDetails"].push_back(detail(i));
    if (start + page_size < total) page["nextToken"] = std::to_string(start + page_size);
    return page.dump();
  };
}

TEST(EcrRegistry, ListImagesReadsEveryPageWithSameFilterAndRegistryId) {
  auto client = std::make_shared<FakeJsonClient>(paged_images(2500, 1000));
  auto registry = make_ecr_registry({"eu-west-1", "012345678901", {}}, client);
  auto images = registry->list_images("team/app");
  ASSERT_TRUE(images.ok()) << images.error().message;
  EXPECT_THAT(*images, SizeIs(2500));
  const auto calls = client->calls("DescribeImages");
  ASSERT_THAT(calls, SizeIs(3));
  for (const auto& c : calls) {
    EXPECT_EQ(c.request["repositoryName"], "team/app");
    EXPECT_EQ(c.request["registryId"], "012345678901");
    EXPECT_EQ(c.request["maxResults"], 1000);
    EXPECT_EQ(c.request["filter"]["imageStatus"], "ANY");
  }
  EXPECT_FALSE(calls[0].request.contains("nextToken"));
  EXPECT_EQ(calls[1].request["nextToken"], "1000");
  EXPECT_EQ(calls[2].request["nextToken"], "2000");
  EXPECT_TRUE(client->calls("BatchGetImage").empty());  // plain images: no manifest reads
}

TEST(EcrRegistry, FailingSecondPageFailsTheWholeListing) {
  auto client = std::make_shared<FakeJsonClient>(paged_images(2500, 1000, /*fail_page=*/2));
  auto registry = make_ecr_registry({"eu-west-1", "", {}}, client);
  auto images = registry->list_images("app");
  ASSERT_FALSE(images.ok());
  EXPECT_EQ(images.error().code, ErrorCode::transient);
  EXPECT_THAT(images.error().message, ::testing::HasSubstr("page 2"));
  EXPECT_THAT(client->calls("DescribeImages"), SizeIs(2));
  EXPECT_FALSE(client->calls("DescribeImages")[0].request.contains("registryId"));
}

TEST(EcrRegistry, MapsEveryImageDetailField) {
  const json page = {
      {"imageDetails",
       {{{"imageDigest", "sha256:aa"},
         {"imagePushedAt", 1.688712875E9},
         {"lastRecordedPullTime", 1.7e9},
         {"lastArchivedAt", 1.71e9},
         {"lastActivatedAt", 1.72e9},
         {"imageSizeInBytes", 48318255},
         {"imageStatus", "ARCHIVED"},
         {"imageScanStatus", {{"status", "COMPLETE"}}},
         {"someFutureField", {1, 2}},
         {"imageManifestMediaType", "application/vnd.docker.distribution.manifest.v2+json"},
         {"artifactMediaType", "application/vnd.docker.container.image.v1+json"}},
        {{"imageDigest", "sha256:bb"},
         {"imageTags", {"a", "b"}},
         {"imagePushedAt", "2024-05-01T00:00:00Z"},
         {"imageStatus", "ACTIVATING"}}}}};
  auto client = std::make_shared<FakeJsonClient>(
      [&](const std::string&, const json&) -> Result<std::string> { return page.dump(); });
  auto images = make_ecr_registry({"us-east-1", "", {}}, client)->list_images("r1");
  ASSERT_TRUE(images.ok()) << images.error().message;
  ASSERT_THAT(*images, SizeIs(2));
  const ImageRecord& bb = (*images)[0];  // newest first
  const ImageRecord& aa = (*images)[1];
  EXPECT_EQ(aa.digest, "sha256:aa");
  EXPECT_TRUE(aa.tags.empty());
  EXPECT_EQ(aa.pushed_at, 1'688'712'875'000);
  EXPECT_EQ(aa.last_pulled_at, 1'700'000'000'000);
  EXPECT_EQ(aa.last_archived_at, 1'710'000'000'000);
  EXPECT_EQ(aa.last_activated_at, 1'720'000'000'000);
  EXPECT_EQ(aa.size_bytes, 48318255u);
  EXPECT_EQ(aa.status, ImageStatus::archived);
  EXPECT_EQ(aa.manifest_media_type, "application/vnd.docker.distribution.manifest.v2+json");
  EXPECT_EQ(aa.artifact_media_type, "application/vnd.docker.container.image.v1+json");
  EXPECT_THAT(bb.tags, ElementsAre("a", "b"));
  EXPECT_EQ(bb.pushed_at, 1'714'521'600'000);
  EXPECT_EQ(bb.status, ImageStatus::activating);
  EXPECT_FALSE(bb.last_pulled_at.has_value());
}

TEST(EcrRegistry, ReadsManifestsOfIndexesAndArtifacts) {
  const std::string index_manifest =
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"digest":"sha256:c1"},{"digest":"sha256:c2"}]})";
  const std::string sig_manifest =
      R"({"schemaVersion":2,"artifactType":"application/vnd.dev.cosign.artifact.sig.v1+json","subject":{"digest":"sha256:idx"}})";
  auto client = std::make_shared<FakeJsonClient>([&](const std::string& op,
                                                     const json& request) -> Result<std::string> {
    if (op == "DescribeImages") {
      return json{{"imageDetails",
                   {{{"imageDigest", "sha256:idx"},
                     {"imageTags", {"v1"}},
                     {"imageManifestMediaType", "application/vnd.oci.image.index.v1+json"}},
                    {{"imageDigest", "sha256:c1"},
                     {"imageManifestMediaType", "application/vnd.oci.image.manifest.v1+json"},
                     {"artifactMediaType", "application/vnd.oci.image.config.v1+json"}},
                    {{"imageDigest", "sha256:sig"},
                     {"imageManifestMediaType", "application/vnd.oci.image.manifest.v1+json"},
                     {"artifactMediaType", "application/vnd.dev.cosign.artifact.sig.v1+json"}}}}}
          .dump();
    }
    json images = json::array();
    for (const auto& id : request["imageIds"]) {
      const std::string d = id["imageDigest"];
      images.push_back({{"imageId", {{"imageDigest", d}}},
                        {"imageManifest", d == "sha256:idx" ? index_manifest : sig_manifest}});
    }
    return json{{"images", images}, {"failures", json::array()}}.dump();
  });
  auto images = make_ecr_registry({"us-east-1", "", {}}, client)->list_images("r");
  ASSERT_TRUE(images.ok()) << images.error().message;
  const auto calls = client->calls("BatchGetImage");
  ASSERT_THAT(calls, SizeIs(1));
  EXPECT_THAT(calls[0].request["imageIds"], SizeIs(2));  // idx and sig, not the plain c1
  EXPECT_THAT(calls[0].request["acceptedMediaTypes"].get<std::vector<std::string>>(),
              ::testing::Contains("application/vnd.oci.image.index.v1+json"));
  for (const auto& image : *images) {
    if (image.digest == "sha256:idx") {
      EXPECT_THAT(image.child_digests, ElementsAre("sha256:c1", "sha256:c2"));
      EXPECT_EQ(image.manifest, index_manifest);  // byte-exact
    } else if (image.digest == "sha256:sig") {
      EXPECT_EQ(image.subject_digest, "sha256:idx");
    } else {
      EXPECT_FALSE(image.manifest.has_value());
    }
  }
}

// A manifest read is a pull (it moves lastRecordedPullTime): archived images (ECR refuses them
// anyway) and referrers whose subject DescribeImages already names are not read.
TEST(EcrRegistry, ReadsNoManifestOfArchivedImagesOrOfReferrersWithAKnownSubject) {
  auto client = std::make_shared<FakeJsonClient>(
      [](const std::string& op, const json&) -> Result<std::string> {
        if (op == "DescribeImages") {
          return json{{"imageDetails",
                       {{{"imageDigest", "sha256:archived-idx"},
                         {"imageStatus", "ARCHIVED"},
                         {"imageManifestMediaType", "application/vnd.oci.image.index.v1+json"}},
                        {{"imageDigest", "sha256:sig"},
                         {"imageManifestMediaType", "application/vnd.oci.image.manifest.v1+json"},
                         {"artifactMediaType", "application/vnd.dev.cosign.artifact.sig.v1+json"},
                         {"subjectManifestDigest", "sha256:app"}}}}}
              .dump();
        }
        return service_error(ErrorCode::internal, "Unexpected");
      });
  auto images = make_ecr_registry({"us-east-1", "", {}}, client)->list_images("r");
  ASSERT_TRUE(images.ok()) << images.error().message;
  EXPECT_THAT(client->calls("BatchGetImage"), SizeIs(0));
  for (const auto& image : *images) {
    if (image.digest == "sha256:sig") {
      EXPECT_EQ(image.subject_digest, "sha256:app");
    }
  }
}

TEST(EcrRegistry, UpdateStorageClassSendsTheDigestAndTargetAndMapsTheStatus) {
  auto client = std::make_shared<FakeJsonClient>(
      [](const std::string&, const json& request) -> Result<std::string> {
        if (request["imageId"]["imageDigest"] == "sha256:gone")
          return service_error(ErrorCode::not_found, "ImageNotFoundException");
        const bool archive = request["targetStorageClass"] == "ARCHIVE";
        return json{{"imageStatus", archive ? "ARCHIVED" : "ACTIVATING"}}.dump();
      });
  auto registry = make_ecr_registry({"us-east-1", "123456789012", {}}, client);
  EXPECT_EQ(*registry->update_storage_class("r", "sha256:a", StorageClass::archive),
            ImageStatus::archived);
  EXPECT_EQ(*registry->update_storage_class("r", "sha256:a", StorageClass::standard),
            ImageStatus::activating);
  const auto gone = registry->update_storage_class("r", "sha256:gone", StorageClass::archive);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().service_code, "ImageNotFoundException");
  const auto calls = client->calls("UpdateImageStorageClass");
  ASSERT_THAT(calls, SizeIs(3));
  EXPECT_EQ(calls[0].request["registryId"], "123456789012");
  EXPECT_EQ(calls[0].request["repositoryName"], "r");
  EXPECT_EQ(calls[0].request["targetStorageClass"], "ARCHIVE");
  EXPECT_EQ(calls[1].request["targetStorageClass"], "STANDARD");
}

TEST(EcrRegistry, PullTimeExclusionsAreIdempotent) {
  auto client = std::make_shared<FakeJsonClient>(
      [](const std::string& op, const json& request) -> Result<std::string> {
        if (op == "RegisterPullTimeUpdateExclusion")
          return service_error(ErrorCode::conflict, "ExclusionAlreadyExistsException");
        if (op == "DeregisterPullTimeUpdateExclusion")
          return service_error(ErrorCode::not_found, "ExclusionNotFoundException");
        if (!request.contains("nextToken"))
          return json{{"pullTimeUpdateExclusions", {"arn:aws:iam::1:role/a"}}, {"nextToken", "2"}}
              .dump();
        return json{{"pullTimeUpdateExclusions", {"arn:aws:iam::1:role/b"}}}.dump();
      });
  auto registry = make_ecr_registry({"us-east-1", "", {}}, client);
  EXPECT_TRUE(registry->register_pull_time_exclusion("arn:aws:iam::1:role/a").ok());
  EXPECT_TRUE(registry->deregister_pull_time_exclusion("arn:aws:iam::1:role/c").ok());
  EXPECT_THAT(*registry->pull_time_exclusions(),
              ElementsAre("arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"));
}

TEST(EcrRegistry, ManifestFailureFailsTheListing) {
  auto client = std::make_shared<FakeJsonClient>(
      [](const std::string& op, const json&) -> Result<std::string> {
        if (op == "DescribeImages") {
          return json{{"imageDetails",
                       {{{"imageDigest", "sha256:idx"},
                         {"imageManifestMediaType", "application/vnd.oci.image.index.v1+json"}}}}}
              .dump();
        }
        return json{{"images", json::array()},
                    {"failures",
                     {{{"imageId", {{"imageDigest", "sha256:idx"}}},
                       {"failureCode", "KmsError"},
                       {"failureReason", "kms"}}}}}
            .dump();
      });
  auto images = make_ecr_registry({"us-east-1", "", {}}, client)->list_images("r");
  ASSERT_FALSE(images.ok());
  EXPECT_THAT(images.error().message, ::testing::HasSubstr("KmsError"));
}

TEST(EcrRegistry, DeletesInChunksOfAtMost100AndReportsEveryFailure) {
  auto client = std::make_shared<FakeJsonClient>(
      [](const std::string&, const json& request) -> Result<std::string> {
        json deleted = json::array();
        json failures = json::array();
        for (const auto& id : request["imageIds"]) {
          const std::string d = id["imageDigest"];
          if (d == digest_of(7) || d == digest_of(150)) {
            failures.push_back({{"imageId", id},
                                {"failureCode", "ImageReferencedByManifestList"},
                                {"failureReason", "Requested image referenced by manifest list"}});
          } else {
            deleted.push_back(id);
          }
        }
        return json{{"imageIds", deleted}, {"failures", failures}}.dump();
      });
  std::vector<ImageId> ids;
  for (int i = 0; i < 250; ++i) ids.push_back({digest_of(i), ""});
  auto outcome = make_ecr_registry({"us-east-1", "", {}}, client)->delete_images("r", ids);
  ASSERT_TRUE(outcome.ok());
  const auto calls = client->calls("BatchDeleteImage");
  ASSERT_THAT(calls, SizeIs(3));
  EXPECT_THAT(calls[0].request["imageIds"], SizeIs(100));
  EXPECT_THAT(calls[1].request["imageIds"], SizeIs(100));
  EXPECT_THAT(calls[2].request["imageIds"], SizeIs(50));
  EXPECT_THAT(outcome->deleted, SizeIs(248));
  ASSERT_THAT(outcome->failures, SizeIs(2));
  EXPECT_EQ(outcome->failures[0].id.digest, digest_of(7));
  EXPECT_EQ(outcome->failures[0].code, "ImageReferencedByManifestList");
  EXPECT_EQ(outcome->failures[1].id.digest, digest_of(150));
}

TEST(EcrRegistry, WholeCallDeleteErrorMarksEveryIdOfThatChunk) {
  int n = 0;
  auto client = std::make_shared<FakeJsonClient>(
      [&](const std::string&, const json& request) -> Result<std::string> {
        if (++n == 2) return service_error(ErrorCode::throttled, "ThrottlingException");
        return json{{"imageIds", request["imageIds"]}}.dump();
      });
  std::vector<ImageId> ids;
  for (int i = 0; i < 150; ++i) ids.push_back({"", "t" + std::to_string(i)});
  auto outcome = make_ecr_registry({"us-east-1", "", {}}, client)->delete_images("r", ids);
  ASSERT_TRUE(outcome.ok());
  EXPECT_THAT(outcome->deleted, SizeIs(100));
  ASSERT_THAT(outcome->failures, SizeIs(50));
  EXPECT_EQ(outcome->failures[0].code, "ThrottlingException");
  EXPECT_EQ(outcome->failures[0].id.tag, "t100");
  EXPECT_EQ(client->calls("BatchDeleteImage")[1].request["imageIds"][0],
            (json{{"imageTag", "t100"}}));
}

TEST(EcrRegistry, DescribeByDigestTreatsUnknownDigestsAsAbsent) {
  auto client = std::make_shared<FakeJsonClient>(
      [](const std::string&, const json& request) -> Result<std::string> {
        json details = json::array();
        for (const auto& id : request["imageIds"]) {
          if (id["imageDigest"] == "sha256:gone") {
            return service_error(ErrorCode::not_found, "ImageNotFoundException");
          }
          details.push_back({{"imageDigest", id["imageDigest"]}});
        }
        return json{{"imageDetails", details}}.dump();
      });
  auto images = make_ecr_registry({"us-east-1", "", {}}, client)
                    ->describe_images("r", {"sha256:a", "sha256:gone", "sha256:b", "sha256:c"});
  ASSERT_TRUE(images.ok()) << images.error().message;
  std::vector<std::string> digests;
  for (const auto& i : *images) digests.push_back(i.digest);
  EXPECT_THAT(digests, UnorderedElementsAre("sha256:a", "sha256:b", "sha256:c"));
}

TEST(EcrRegistry, RepositoriesAllPagesAndLifecyclePolicyNotFound) {
  auto client = std::make_shared<FakeJsonClient>([](const std::string& op,
                                                    const json& request) -> Result<std::string> {
    if (op == "DescribeRepositories") {
      if (!request.contains("nextToken")) {
        return json{{"repositories", {{{"repositoryName", "b"}, {"registryId", "012345678901"}}}},
                    {"nextToken", "p2"}}
            .dump();
      }
      return json{{"repositories", {{{"repositoryName", "a"}, {"repositoryUri", "x/a"}}}}}.dump();
    }
    if (op == "PutLifecyclePolicy") return std::string("{}");
    if (op == "GetLifecyclePolicy" && request["repositoryName"] == "a") {
      return json{{"lifecyclePolicyText", "{\"rules\":[]}"}}.dump();
    }
    return service_error(ErrorCode::not_found, "LifecyclePolicyNotFoundException");
  });
  auto registry = make_ecr_registry({"us-east-1", "012345678901", {}}, client);
  auto repos = registry->list_repositories();
  ASSERT_TRUE(repos.ok());
  ASSERT_THAT(*repos, SizeIs(2));
  EXPECT_EQ((*repos)[0].name, "a");
  EXPECT_EQ((*repos)[0].uri, "x/a");
  EXPECT_EQ((*repos)[1].registry_id, "012345678901");
  EXPECT_EQ(client->calls("DescribeRepositories")[1].request["nextToken"], "p2");
  auto policy_a = registry->get_lifecycle_policy("a");
  ASSERT_TRUE(policy_a.ok());
  EXPECT_EQ(policy_a->value_or(""), "{\"rules\":[]}");
  auto policy_b = registry->get_lifecycle_policy("b");
  ASSERT_TRUE(policy_b.ok());
  EXPECT_FALSE(policy_b->has_value());
  EXPECT_TRUE(registry->delete_lifecycle_policy("b").ok());
  ASSERT_TRUE(registry->put_lifecycle_policy("a", "{\"rules\":[]}").ok());
  EXPECT_EQ(client->calls("PutLifecyclePolicy")[0].request["lifecyclePolicyText"],
            "{\"rules\":[]}");
}

}  // namespace
}  // namespace regsweep

namespace regsweep {
namespace {

// Issue 11: a saved plan of account 111... was applied in account 222... because a registry opened
// with base credentials did not know its account. identity() always knows, or fails.
TEST(EcrRegistryIdentity, RegistryIdOrRoleAccountNeedsNoCall) {
  auto client = std::make_shared<FakeJsonClient>(
      [](const std::string&, const json&) -> Result<std::string> { return std::string("{}"); });
  auto registry = make_ecr_registry({"eu-west-1", "012345678901", {}}, client);
  auto identity = registry->identity();
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(*identity, (RegistryIdentity{RegistryKind::ecr, "012345678901", "eu-west-1"}));
  EXPECT_THAT(client->calls("DescribeRepositories"), SizeIs(0));
}

TEST(EcrRegistryIdentity, LearnsTheAccountFromTheRepositoriesOnce) {
  auto client =
      std::make_shared<FakeJsonClient>([](const std::string&, const json&) -> Result<std::string> {
        return json{{"repositories", {{{"repositoryName", "app"}, {"registryId", "222222222222"}}}}}
            .dump();
      });
  bool asked = false;
  auto registry = make_ecr_registry({"us-east-1", "",
                                     [&]() -> Result<std::string> {
                                       asked = true;
                                       return std::string("999999999999");
                                     }},
                                    client);
  auto identity = registry->identity();
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(identity->account, "222222222222");
  EXPECT_TRUE(registry->identity().ok());
  const auto calls = client->calls("DescribeRepositories");
  ASSERT_THAT(calls, SizeIs(1));
  EXPECT_EQ(calls[0].request["maxResults"], 1);
  EXPECT_FALSE(asked) << "the caller's identity is asked only when no repository names the account";
}

TEST(EcrRegistryIdentity, AnEmptyRegistryAsksWhoTheCallerIs) {
  auto client =
      std::make_shared<FakeJsonClient>([](const std::string&, const json&) -> Result<std::string> {
        return std::string(R"({"repositories": []})");
      });
  auto registry = make_ecr_registry(
      {"us-east-1", "", []() -> Result<std::string> { return std::string("333333333333"); }},
      client);
  auto identity = registry->identity();
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(identity->account, "333333333333");
}

TEST(EcrRegistryIdentity, UnknowableAccountFails) {
  auto client =
      std::make_shared<FakeJsonClient>([](const std::string&, const json&) -> Result<std::string> {
        return std::string(R"({"repositories": []})");
      });
  auto without_sts = make_ecr_registry({"us-east-1", "", {}}, client);
  EXPECT_FALSE(without_sts->identity().ok());
  auto failing_sts = make_ecr_registry({"us-east-1", "",
                                        []() -> Result<std::string> {
                                          return make_error(ErrorCode::unauthorized,
                                                            "sts GetCallerIdentity: denied");
                                        }},
                                       client);
  auto identity = failing_sts->identity();
  ASSERT_FALSE(identity.ok());
  EXPECT_NE(identity.error().message.find("sts GetCallerIdentity: denied"), std::string::npos);
}

}  // namespace
}  // namespace regsweep
