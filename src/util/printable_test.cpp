#include "util/printable.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

// Issue 11: the plan table printed terminal escape sequences from names raw.
TEST(Printable, EscapesControlCharactersAndKeepsTheRest) {
  EXPECT_EQ(printable("team/app"), "team/app");
  EXPECT_EQ(printable("caf\xc3\xa9 \xf0\x9f\x90\xb3"), "caf\xc3\xa9 \xf0\x9f\x90\xb3");
  EXPECT_EQ(printable("evil\x1b[2J\x1b]0;pwned\x07"), "evil\\x1b[2J\\x1b]0;pwned\\x07");
  EXPECT_EQ(printable("two\nlines\ttab\x7f"), "two\\x0alines\\x09tab\\x7f");
  EXPECT_EQ(printable("c1\xc2\x9b"
                      "31m"),
            "c1\\u009b31m");
}

}  // namespace
}  // namespace regsweep
