#include "util/base64.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

TEST(Base64, EncodesWithPaddingAsRfc4648Says) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\x00\xfe", 3)), "/wD+");
}

TEST(Base64, DecodesWrappedTextAndRefusesOtherCharacters) {
  EXPECT_EQ(base64_decode("Zm9v\nYmFy"), "foobar");
  EXPECT_EQ(base64_decode(" Zg== "), "f");
  EXPECT_EQ(base64_decode("/wD+"), std::string("\xff\x00\xfe", 3));
  EXPECT_FALSE(base64_decode("Zm9v!"));
  EXPECT_FALSE(base64_decode("Zm9v-_"));  // the URL alphabet is not this one
}

TEST(Base64, RoundTripsEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (std::size_t n = 0; n <= all.size(); n += 37)
    EXPECT_EQ(base64_decode(base64_encode(all.substr(0, n))), all.substr(0, n));
}

}  // namespace
}  // namespace regsweep
