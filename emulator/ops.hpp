// The ECR operations the emulator serves, one function each, grouped in ops_*.cpp by theme.
// Each takes the parsed request body and returns the response object; whole-call errors are
// thrown as ApiError (api.hpp). find_operation() is the X-Amz-Target routing table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api.hpp"
#include "store.hpp"

namespace ecr_emulator {

struct Context {
  Store& store;
  Millis now = 0;  // wall clock at request arrival
  // The caller's IAM user or role ARN (Principal::iam_arn, sts.hpp): whose pulls a pull-time
  // exclusion spares. Empty when unknown (then its pulls are always recorded).
  std::string caller;
};

// An operation's answer: a JSON object, or (for the hot DescribeImages path) a body already
// serialised by hand, which is several times faster than building nlohmann objects.
struct OpResult {
  OpResult(Json value) : json(std::move(value)) {}  // NOLINT: implicit, so operations return Json
  static OpResult serialised(std::string body) {
    OpResult result{Json()};
    result.raw = std::move(body);
    return result;
  }
  std::string body() const { return raw.empty() ? json.dump() : raw; }

  Json json;
  std::string raw;
};

using Operation = OpResult (*)(Context&, const Json&);

// Repositories, registry, tags (ops_repos.cpp).
OpResult create_repository(Context&, const Json&);
OpResult describe_repositories(Context&, const Json&);
OpResult delete_repository(Context&, const Json&);
OpResult list_tags_for_resource(Context&, const Json&);
OpResult tag_resource(Context&, const Json&);
OpResult untag_resource(Context&, const Json&);
OpResult describe_registry(Context&, const Json&);
OpResult get_authorization_token(Context&, const Json&);
// Reading images (ops_read.cpp).
OpResult list_images(Context&, const Json&);
OpResult describe_images(Context&, const Json&);
OpResult batch_get_image(Context&, const Json&);
// Writing images (ops_write.cpp).
OpResult batch_delete_image(Context&, const Json&);
OpResult put_image(Context&, const Json&);
// Archive and referrers (ops_archive.cpp).
OpResult update_image_storage_class(Context&, const Json&);
OpResult list_image_referrers(Context&, const Json&);
// Pull-time update exclusions (ops_exclusions.cpp).
OpResult register_pull_time_update_exclusion(Context&, const Json&);
OpResult deregister_pull_time_update_exclusion(Context&, const Json&);
OpResult list_pull_time_update_exclusions(Context&, const Json&);
// Whether pulls by `caller` (an IAM user or role ARN) leave lastRecordedPullTime alone. Caller
// holds the store lock.
bool pull_time_excluded(const Store& store, const std::string& caller);
// Lifecycle policies (ops_lifecycle.cpp).
OpResult get_lifecycle_policy(Context&, const Json&);
OpResult put_lifecycle_policy(Context&, const Json&);
OpResult delete_lifecycle_policy(Context&, const Json&);

// nullptr for an unknown operation name.
Operation find_operation(std::string_view name);

// --- shared helpers (ops_common.cpp) ---
// Validates repositoryName (and registryId when given) and returns the name.
std::string repository_name_param(const Json& body);
// The repository or RepositoryNotFoundException. Caller holds the store lock.
Repository& find_repository(Store& store, const std::string& name);
std::string repository_arn(const Store& store, const Repository& repo);
Json repository_json(const Store& store, const Repository& repo);
// An ImageDetail as DescribeImages shows it at `now` (imageStatus and lastActivatedAt depend on
// it).
Json image_detail_json(const Repository& repo, const Image& image, Millis now);
// The same object as image_detail_json(), appended to `out` as compact JSON.
void append_image_detail(std::string& out, const Repository& repo, const Image& image, Millis now);
void append_json_string(std::string& out, std::string_view text);
double epoch_seconds(Millis t);
bool valid_repository_name(std::string_view name);
bool valid_digest(std::string_view digest);
// Resolves an ImageIdentifier (tag, digest or both); nullptr when it names nothing or the tag and
// digest disagree.
const Image* resolve_image(const Repository& repo, const std::string& digest,
                           const std::string& tag);
Image* resolve_image(Repository& repo, const std::string& digest, const std::string& tag);
// "{imageDigest:'...', imageTag:'...'}" as ECR's ImageNotFoundException messages quote an id.
std::string image_id_text(const std::string& digest, const std::string& tag);

// One entry of a BatchGetImage/BatchDeleteImage `imageIds` list. A malformed entry (not an object)
// fails the whole call; an entry ECR answers per item (no digest nor tag, a bad digest) is appended
// to `failures` in ECR's shape and nullopt is returned.
struct ImageIdParam {
  std::string digest;
  std::string tag;
};
std::optional<ImageIdParam> image_id_param(const Json& id, Json& failures);
void append_image_failure(Json& failures, const Json& id, const char* code,
                          const std::string& reason);

}  // namespace ecr_emulator
