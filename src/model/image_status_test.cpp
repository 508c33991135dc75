#include <gtest/gtest.h>

#include "model/image.hpp"

namespace regsweep {
namespace {

TEST(ImageStatus, EcrSpellingRoundTrips) {
  for (const ImageStatus status :
       {ImageStatus::active, ImageStatus::archived, ImageStatus::activating})
    EXPECT_EQ(parse_image_status(to_string(status)), status);
  EXPECT_EQ(to_string(ImageStatus::archived), "ARCHIVED");
  // Unknown or differently cased statuses are left to the caller (snapshot: an error; ECR's
  // listing: active).
  EXPECT_EQ(parse_image_status("archived"), std::nullopt);
  EXPECT_EQ(parse_image_status(""), std::nullopt);
  EXPECT_EQ(parse_image_status("FROZEN"), std::nullopt);
}

}  // namespace
}  // namespace regsweep
