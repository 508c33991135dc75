#include "journal/journal.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "journal/state_dir.hpp"

namespace regsweep {
namespace {

namespace fs = std::filesystem;

std::string temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "regsweep-journal-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

JournalRecord intent() {
  JournalRecord r;
  r.kind = JournalKind::intent;
  r.run_id = "run-1";
  r.timestamp = 1'714'564'800'123;
  r.registry = "123456789012";
  r.region = "eu-west-1";
  r.repository = "team/api";
  r.digest = "sha256:" + std::string(64, 'a');
  r.tags = {"v1", "old"};
  r.pushed_at = 1'700'000'000'000;
  r.size_bytes = 52'428'800;
  r.rule_priority = 10;
  r.reason = "rule 10: imageCountMoreThan 5 (tagged v*)";
  r.manifest_media_type = "application/vnd.oci.image.manifest.v1+json";
  r.manifest = "{\n  \"schemaVersion\": 2\n}";
  return r;
}

JournalRecord result(JournalOutcome outcome) {
  JournalRecord r;
  r.kind = JournalKind::result;
  r.run_id = "run-1";
  r.timestamp = 1'714'564'801'000;
  r.repository = "team/api";
  r.digest = "sha256:" + std::string(64, 'a');
  r.outcome = outcome;
  if (outcome == JournalOutcome::failed) {
    r.error_code = "ImageNotFoundException";
    r.reason = "Requested image not found";
  }
  return r;
}

void expect_same(const JournalRecord& a, const JournalRecord& b) {
  EXPECT_EQ(to_journal_line(a), to_journal_line(b));
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.timestamp, b.timestamp);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.pushed_at, b.pushed_at);
  EXPECT_EQ(a.size_bytes, b.size_bytes);
  EXPECT_EQ(a.rule_priority, b.rule_priority);
  EXPECT_EQ(a.manifest, b.manifest);
  EXPECT_EQ(a.outcome, b.outcome);
}

TEST(JournalRecord, LineRoundTripsAndStaysOneLine) {
  for (const auto& record : {intent(), result(JournalOutcome::deleted),
                             result(JournalOutcome::failed), result(JournalOutcome::skipped)}) {
    const std::string line = to_journal_line(record);
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    auto back = parse_journal_line(line);
    ASSERT_TRUE(back.ok()) << back.error().message;
    expect_same(*back, record);
  }
  EXPECT_EQ(
      to_journal_line(result(JournalOutcome::deleted)),
      R"({"digest":"sha256:)" + std::string(64, 'a') +
          R"(","kind":"result","outcome":"deleted","reason":"","region":"","registry":"","repository":"team/api",)"
          R"("runId":"run-1","tags":[],"time":"2024-05-01T12:00:01Z"})");
}

TEST(JournalRecord, RejectsNonRecords) {
  for (const std::string line :
       {"", "[]", "{}", R"({"kind":"intent"})", R"({"kind":"x","time":"2024-05-01"})",
        R"({"kind":"result","time":"2024-05-01","repository":"r","digest":"d"})",
        R"({"kind":"intent","time":"yesterday","repository":"r","digest":"d"})",
        R"({"kind":"intent","time":"","repository":"r","digest":"d"})",
        // fuzz_journal_reader: a time whose year has five digits cannot be written back
        R"({"kind":"intent","time":"99999999999999","repository":"r","digest":"d"})",
        R"({"kind":"intent","time":"2024-05-01","pushedAt":"1e12","repository":"r","digest":"d"})",
        R"({"kind":"intent","time":"2024-05-01","repository":"r","digest":"d","sizeBytes":-1})"}) {
    EXPECT_FALSE(parse_journal_line(line).ok()) << line;
  }
}

TEST(Journal, ReaderReportsATornLastLineAndKeepsTheRest) {
  const std::string text = to_journal_line(intent()) + "\n" +
                           to_journal_line(result(JournalOutcome::deleted)) + "\n" +
                           to_journal_line(intent()).substr(0, 40);
  const auto contents = parse_journal(text);
  EXPECT_EQ(contents.records.size(), 2u);
  ASSERT_EQ(contents.bad_lines.size(), 1u);
  EXPECT_EQ(contents.bad_lines[0].line, 3u);
  EXPECT_TRUE(contents.bad_lines[0].torn_tail);
}

TEST(FileJournal, AppendsDurableLinesWithPrivatePermissions) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/state/regsweep/journal.jsonl";
  {
    auto journal = FileJournal::open(path);
    ASSERT_TRUE(journal.ok()) << journal.error().message;
    ASSERT_TRUE((*journal)->append(intent()).ok());
    ASSERT_TRUE((*journal)->append(result(JournalOutcome::deleted)).ok());
  }
  struct stat file_info {};
  ASSERT_EQ(::stat(path.c_str(), &file_info), 0);
  EXPECT_EQ(file_info.st_mode & 0777, 0600u);
  struct stat dir_info {};
  ASSERT_EQ(::stat((dir + "/state/regsweep").c_str(), &dir_info), 0);
  EXPECT_EQ(dir_info.st_mode & 0777, 0700u);
  // A second run appends; nothing is rewritten.
  {
    auto journal = FileJournal::open(path);
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)->append(result(JournalOutcome::failed)).ok());
  }
  auto contents = read_journal_file(path);
  ASSERT_TRUE(contents.ok());
  ASSERT_EQ(contents->records.size(), 3u);
  expect_same(contents->records[0], intent());
  expect_same(contents->records[2], result(JournalOutcome::failed));
  EXPECT_TRUE(contents->bad_lines.empty());
  fs::remove_all(dir);
}

// A crash mid-write leaves a line without its newline; the next run must not glue its first
// record onto it.
TEST(FileJournal, NextRunAfterATornWriteStartsOnAFreshLine) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/journal.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    out << to_journal_line(intent()) << "\n" << to_journal_line(intent()).substr(0, 25);
  }
  auto journal = FileJournal::open(path);
  ASSERT_TRUE(journal.ok());
  ASSERT_TRUE((*journal)->append(result(JournalOutcome::skipped)).ok());
  auto contents = read_journal_file(path);
  ASSERT_TRUE(contents.ok());
  ASSERT_EQ(contents->records.size(), 2u);
  EXPECT_EQ(contents->records[1].outcome, JournalOutcome::skipped);
  ASSERT_EQ(contents->bad_lines.size(), 1u);
  EXPECT_EQ(contents->bad_lines[0].line, 2u);
  EXPECT_FALSE(contents->bad_lines[0].torn_tail);
  EXPECT_EQ(slurp(path).back(), '\n');
  fs::remove_all(dir);
}

TEST(FileJournal, ErrorsAreValues) {
  auto missing = read_journal_file("/nonexistent/journal.jsonl");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  auto not_dir = FileJournal::open("/dev/null/journal.jsonl");
  ASSERT_FALSE(not_dir.ok());
  EXPECT_EQ(not_dir.error().code, ErrorCode::internal);
}

TEST(StateDirectory, FollowsXdg) {
  auto env = [](std::map<std::string, std::string> vars) -> GetEnv {
    return [vars](std::string_view name) -> std::optional<std::string> {
      auto it = vars.find(std::string(name));
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
  };
  EXPECT_EQ(*default_journal_path(env({{"XDG_STATE_HOME", "/s"}, {"HOME", "/h"}})),
            "/s/regsweep/journal.jsonl");
  EXPECT_EQ(*default_journal_path(env({{"XDG_STATE_HOME", "relative"}, {"HOME", "/h"}})),
            "/h/.local/state/regsweep/journal.jsonl");
  EXPECT_EQ(*default_state_directory(env({{"HOME", "/h"}})), "/h/.local/state/regsweep");
  auto none = default_state_directory(env({}));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::invalid_input);
}

}  // namespace
}  // namespace regsweep
