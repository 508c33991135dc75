// inuse scan's AWS flags are checked before any session is opened: where to scan (--region,
// --role-arn, --external-id) only with a service to scan there, and role ARNs and external ids as
// everywhere else.
#include "app/scan_in_use.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

TEST(ScanInUse, WhereToScanWithoutWhatToScanIsRefused) {
  InUseScanRequest request;
  request.keep_files = {"/nonexistent/keep.txt"};  // never read: the flags fail first
  request.regions = {"eu-west-1", "us-east-1"};
  auto set = scan_in_use(request);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().code, ErrorCode::invalid_input);
  EXPECT_NE(set.error().message.find("they choose where --ecs and --lambda scan"),
            std::string::npos)
      << set.error().message;
}

TEST(ScanInUse, RolesAndExternalIdsAreCheckedBeforeAnySession) {
  InUseScanRequest request;
  request.lambda = true;
  request.endpoint_url = "http://127.0.0.1:9";  // nothing listens there
  request.external_id = "org-cleanup";
  auto alone = scan_in_use(request);
  ASSERT_FALSE(alone.ok());
  EXPECT_NE(alone.error().message.find("--external-id: given without a role"), std::string::npos)
      << alone.error().message;
  request.role_arns = {"arn:aws:iam::111111111111:user/me"};
  auto user = scan_in_use(request);
  ASSERT_FALSE(user.ok());
  EXPECT_NE(user.error().message.find("--role-arn: \"arn:aws:iam::111111111111:user/me\" is not a "
                                      "role ARN"),
            std::string::npos)
      << user.error().message;
}

}  // namespace
}  // namespace regsweep
