// Output conventions: one default (table) whatever stdout is, REGSWEEP_OUTPUT changes it, the flag
// wins; text records never split; tables align.
#include "cli/output.hpp"

#include <gtest/gtest.h>

#include "cli/table.hpp"

namespace regsweep::cli {
namespace {

TEST(Output, TableByDefaultEnvironmentChangesItFlagWins) {
  EXPECT_EQ(*resolve_output("", nullptr), OutputFormat::table);
  EXPECT_EQ(*resolve_output("", ""), OutputFormat::table);
  EXPECT_EQ(*resolve_output("", "json"), OutputFormat::json);
  EXPECT_EQ(*resolve_output("", "text"), OutputFormat::text);
  EXPECT_EQ(*resolve_output("table", "json"), OutputFormat::table);
  EXPECT_EQ(*resolve_output("text", "json"), OutputFormat::text);
  auto bad = resolve_output("", "yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_input);
  EXPECT_NE(bad.error().message.find("REGSWEEP_OUTPUT: 'yaml' is not an output format"),
            std::string::npos);
}

TEST(Output, TextRecordsAreTabSeparatedAndNeverSplit) {
  EXPECT_EQ(text_record({"IMAGE", "team/api", "", "v1,v2"}), "IMAGE\tteam/api\t\tv1,v2\n");
  EXPECT_EQ(text_record({"a\tb", "c\nd", "e\\f", std::string_view("\x01", 1)}),
            "a\\tb\tc\\nd\te\\\\f\t\\x01\n");
}

TEST(Table, ColumnsAlignNumbersRightLastColumnUnpadded) {
  Table table({{"NAME"}, {"SIZE", Align::right}, {"REASON"}});
  table.add({"a", "1", "short"});
  table.add({"longer-name", "1,234", "a reason"});
  EXPECT_EQ(table.render("  "),
            "  NAME          SIZE  REASON\n"
            "  a                1  short\n"
            "  longer-name  1,234  a reason\n");
  EXPECT_EQ(Table({{"X"}}).render(), "");
}

TEST(Table, WidthCountsCharactersNotBytesAndHidesControlCharacters) {
  Table table({{"TAG"}, {"N", Align::right}});
  table.add({"\xc3\xa9t\xc3\xa9", "1"});  // "été": 3 characters, 5 bytes
  table.add({"abcd", "2"});
  const std::string out = table.render();
  EXPECT_NE(out.find("\xc3\xa9t\xc3\xa9   1\n"), std::string::npos) << out;  // padded to 4
  Table hostile({{"NAME"}});
  hostile.add({"evil\x1b[2Jname"});
  EXPECT_EQ(hostile.render().find('\x1b'), std::string::npos);
}

TEST(Table, MoreRowsLineSaysHowManyAreLeftOut) {
  EXPECT_EQ(more_rows_line(5, 5), "");
  EXPECT_EQ(more_rows_line(2, 1420),
            "  ... and 1,418 more (--max-rows 0 lists all; --output json or text lists "
            "everything)\n");
}

}  // namespace
}  // namespace regsweep::cli
