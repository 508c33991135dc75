#include "journal/journal.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <atomic>
#include <thread>

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

void spit(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

mode_t mode_of(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 07777;
}

// "Someone else's" file or directory: as root (CI), given to uid 4242 for real, and the effective
// user is checked for; a normal user cannot give files away, so the check is asked for another
// uid instead. Returns the owner to pass.
uid_t give_away(const std::string& path) {
  if (::geteuid() != 0) return ::geteuid() + 1;
  EXPECT_EQ(::lchown(path.c_str(), 4242, 4242), 0) << path;
  return ::geteuid();
}

// A directory whose own checks pass for any owner a test passes: a private one as root; as a
// normal user /tmp (root's and sticky), since the owner passed is not ours.
std::string neutral_dir(const std::string& own) {
  return ::geteuid() == 0 ? own : "/tmp";
}

// A character device like /dev/null. As root, a private node: should the code under test ever
// chmod what it opens, the machine's /dev/null must not become 0600.
std::string null_device(const std::string& dir) {
  if (::geteuid() != 0) return "/dev/null";
  const std::string path = dir + "/null";
  EXPECT_EQ(::mknod(path.c_str(), S_IFCHR | 0666, ::makedev(1, 3)), 0) << path;
  return path;
}

// Someone's file with no newline at its end: the torn-line repair would write one into it.
const std::string k_victim_text = "victim: not a journal, and no newline at the end";

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
  EXPECT_EQ(to_journal_line(result(JournalOutcome::deleted)),
            R"({"imageDigest":"sha256:)" + std::string(64, 'a') +
                R"(","imageTags":[],"kind":"result","outcome":"deleted","reason":"","region":"",)"
                R"("registryId":"","repositoryName":"team/api","runId":"run-1",)"
                R"("time":"2024-05-01T12:00:01Z"})");
}

// Journals written before issue 15 (registry, repository, digest, tags, pushedAt, sizeBytes) are
// read as the same records, so their interrupted runs still settle; new lines use ECR's names.
TEST(JournalRecord, ReadsTheFieldNamesOfOldJournals) {
  const std::string old_line =
      R"({"digest":"sha256:abc","kind":"intent","pushedAt":"2023-11-14T22:13:20Z","reason":"r",)"
      R"("region":"eu-west-1","registry":"123456789012","repository":"team/api","rulePriority":10,)"
      R"("runId":"run-1","sizeBytes":52428800,"tags":["v1"],"time":"2024-05-01T12:00:00Z"})";
  auto record = parse_journal_line(old_line);
  ASSERT_TRUE(record.ok()) << record.error().message;
  EXPECT_EQ(record->registry, "123456789012");
  EXPECT_EQ(record->repository, "team/api");
  EXPECT_EQ(record->digest, "sha256:abc");
  EXPECT_EQ(record->tags, std::vector<std::string>{"v1"});
  EXPECT_EQ(record->size_bytes, 52428800u);
  ASSERT_TRUE(record->pushed_at.has_value());
  const std::string line = to_journal_line(*record);
  for (const char* name :
       {"\"registryId\":\"123456789012\"", "\"repositoryName\":\"team/api\"",
        "\"imageDigest\":\"sha256:abc\"", "\"imageTags\":[\"v1\"]",
        "\"imagePushedAt\":\"2023-11-14T22:13:20Z\"", "\"imageSizeInBytes\":52428800"})
    EXPECT_NE(line.find(name), std::string::npos) << name << " in " << line;
  EXPECT_EQ(line.find("\"sizeBytes\""), std::string::npos) << line;
}

TEST(JournalRecord, ArchivesRestoresAndPutsKeepTheirActionDeletionsWriteNone) {
  for (const auto action : {JournalAction::archive, JournalAction::restore, JournalAction::put}) {
    for (const auto outcome : {JournalOutcome::archived, JournalOutcome::restored}) {
      JournalRecord record = result(outcome);
      record.action = action;
      const std::string line = to_journal_line(record);
      EXPECT_NE(line.find(R"("action":")" + std::string(to_string(action)) + "\""),
                std::string::npos)
          << line;
      auto back = parse_journal_line(line);
      ASSERT_TRUE(back.ok()) << back.error().message;
      EXPECT_EQ(back->action, action);
      EXPECT_EQ(back->outcome, outcome);
    }
  }
  // A deletion's line has no action (as every line written before actions existed), and reads
  // back as a deletion.
  EXPECT_EQ(to_journal_line(intent()).find("action"), std::string::npos);
  EXPECT_EQ(parse_journal_line(to_journal_line(intent()))->action, JournalAction::remove);
  EXPECT_FALSE(
      parse_journal_line(
          R"({"kind":"intent","action":"shred","time":"2024-05-01","repository":"r","digest":"d"})")
          .ok());
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
        R"({"kind":"intent","time":"2024-05-01","repository":"r","digest":"d","sizeBytes":-1})",
        R"({"kind":"intent","time":"2024-05-01","repositoryName":"r","imageDigest":"d",)"
        R"("imageSizeInBytes":-1})"}) {
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
// Group commit across threads (issue 16): repositories deleted in parallel share writes and
// fsyncs, and every append still returns only with its own lines whole in the file.
TEST(FileJournal, ConcurrentAppendsAreAllWrittenWholeAndInTheirBatches) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/journal.jsonl";
  auto journal = FileJournal::open(path);
  ASSERT_TRUE(journal.ok()) << journal.error().message;
  constexpr int k_threads = 16, k_batches = 20, k_per_batch = 7;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < k_batches; ++b) {
        std::vector<JournalRecord> batch;
        for (int i = 0; i < k_per_batch; ++i) {
          JournalRecord r = intent();
          r.run_id = "t" + std::to_string(t) + "b" + std::to_string(b);
          r.digest = "sha256:" + std::to_string(i);
          batch.push_back(r);
        }
        if (!(*journal)->append_all(batch).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const auto contents = parse_journal(slurp(path));
  EXPECT_TRUE(contents.bad_lines.empty());
  ASSERT_EQ(contents.records.size(), std::size_t{k_threads * k_batches * k_per_batch});
  // A batch's records stay together, in order: one caller's lines are never split by another's.
  for (std::size_t i = 0; i < contents.records.size(); i += k_per_batch) {
    for (int k = 0; k < k_per_batch; ++k) {
      EXPECT_EQ(contents.records[i + k].run_id, contents.records[i].run_id);
      EXPECT_EQ(contents.records[i + k].digest, "sha256:" + std::to_string(k));
    }
  }
}

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
  // A journal whose directory is a device: the path is wrong, so exit 2 (it was internal).
  auto not_dir = FileJournal::open("/dev/null/journal.jsonl");
  ASSERT_FALSE(not_dir.ok());
  EXPECT_EQ(not_dir.error().code, ErrorCode::invalid_input);
  EXPECT_NE(not_dir.error().message.find("state directory /dev/null: not a directory"),
            std::string::npos)
      << not_dir.error().message;
}

// Issue 11: `--journal link` with link -> victim.txt appended to victim.txt.
TEST(FileJournal, ASymlinkIsRefusedAndItsTargetIsNotTouched) {
  const std::string dir = temp_dir();
  const std::string victim = dir + "/victim.txt";
  spit(victim, k_victim_text);
  const std::string link = dir + "/journal.jsonl";
  ASSERT_EQ(::symlink(victim.c_str(), link.c_str()), 0);
  auto journal = FileJournal::open(link);
  ASSERT_FALSE(journal.ok());
  EXPECT_EQ(journal.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(journal.error().message,
            "journal " + link +
                ": is a symbolic link; regsweep never writes through a link (it can be pointed at "
                "any file); name the file itself, or replace the link with a file");
  EXPECT_EQ(slurp(victim), k_victim_text);
  // A dangling link is refused too: its target is not created.
  const std::string dangling = dir + "/dangling.jsonl";
  ASSERT_EQ(::symlink((dir + "/created").c_str(), dangling.c_str()), 0);
  EXPECT_FALSE(FileJournal::open(dangling).ok());
  EXPECT_FALSE(fs::exists(dir + "/created"));
  fs::remove_all(dir);
}

// A device, a FIFO or a directory is not a journal: /dev/null "kept" every record and lost it.
TEST(FileJournal, AnythingButARegularFileIsRefused) {
  const std::string dir = temp_dir();
  const std::string device = null_device(dir);
  auto null = FileJournal::open(device);
  ASSERT_FALSE(null.ok());
  EXPECT_EQ(
      null.error().message,
      "journal " + device + ": is a character device, not a regular file; name a regular file");
  const std::string fifo = dir + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // so no open() can block
  ASSERT_GE(reader, 0);
  auto piped = FileJournal::open(fifo);
  ::close(reader);
  ASSERT_FALSE(piped.ok());
  EXPECT_NE(piped.error().message.find("is a FIFO (named pipe), not a regular file"),
            std::string::npos)
      << piped.error().message;
  auto directory = FileJournal::open(dir);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, ErrorCode::invalid_input);
  EXPECT_NE(directory.error().message.find("is a directory"), std::string::npos)
      << directory.error().message;
  auto dash = FileJournal::open("-");  // not standard output, and no file named "-"
  ASSERT_FALSE(dash.ok());
  EXPECT_EQ(dash.error().code, ErrorCode::invalid_input);
  fs::remove_all(dir);
}

TEST(FileJournal, AFileOfSomeoneElseOrWithASecondNameIsRefusedUntouched) {
  const std::string dir = temp_dir();
  char name[] = "/regsweep-foreign-journal-XXXXXX";
  std::string path = neutral_dir(dir) + name;
  const int fd = ::mkstemp(path.data());
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, k_victim_text.data(), k_victim_text.size()),
            static_cast<ssize_t>(k_victim_text.size()));
  ::close(fd);
  const uid_t owner = give_away(path);
  auto foreign = FileJournal::open(path, owner);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::invalid_input);
  EXPECT_NE(foreign.error().message.find("journal " + path + ": owned by uid "), std::string::npos)
      << foreign.error().message;
  EXPECT_NE(foreign.error().message.find("not by this user (uid " + std::to_string(owner) + ")"),
            std::string::npos)
      << foreign.error().message;
  EXPECT_EQ(slurp(path), k_victim_text);
  ::unlink(path.c_str());
  // A hard link: the same file under another name, perhaps someone's file outside our directory.
  const std::string victim = dir + "/victim.txt";
  spit(victim, k_victim_text);
  ASSERT_EQ(::link(victim.c_str(), (dir + "/journal.jsonl").c_str()), 0);
  auto linked = FileJournal::open(dir + "/journal.jsonl");
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.error().message.find(": has 2 hard links"), std::string::npos)
      << linked.error().message;
  EXPECT_EQ(slurp(victim), k_victim_text);
  fs::remove_all(dir);
}

// An existing journal made 0644 (by hand, a restore, a volume's fsGroup) is private again.
TEST(FileJournal, AnExistingJournalsModeIsTightenedTo0600) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/journal.jsonl";
  spit(path, to_journal_line(intent()) + "\n");
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto journal = FileJournal::open(path);
  ASSERT_TRUE(journal.ok()) << journal.error().message;
  EXPECT_EQ(mode_of(path), 0600u);
  ASSERT_TRUE((*journal)->append(result(JournalOutcome::deleted)).ok());
  EXPECT_EQ(read_journal_file(path)->records.size(), 2u);
  fs::remove_all(dir);
}

// The journal's directory: a symlink (pointing anywhere), someone else's directory, or one every
// user may write (who could swap the journal) is refused; nothing is created through it.
TEST(FileJournal, ADirectoryThatIsALinkOrNotOursIsRefused) {
  const std::string dir = temp_dir();
  fs::create_directories(dir + "/elsewhere");
  ASSERT_EQ(::symlink((dir + "/elsewhere").c_str(), (dir + "/state").c_str()), 0);
  auto linked = FileJournal::open(dir + "/state/journal.jsonl");
  ASSERT_FALSE(linked.ok());
  EXPECT_EQ(linked.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(
      linked.error().message.rfind("journal " + dir + "/state/journal.jsonl: state directory " +
                                       dir + "/state: is a symbolic link; ",
                                   0),
      0u)
      << linked.error().message;
  EXPECT_TRUE(fs::is_empty(dir + "/elsewhere"));

  fs::create_directories(dir + "/theirs");
  const uid_t owner = give_away(dir + "/theirs");
  auto foreign = FileJournal::open(dir + "/theirs/journal.jsonl", owner);
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message.find("state directory " + dir + "/theirs: owned by uid "),
            std::string::npos)
      << foreign.error().message;
  EXPECT_FALSE(fs::exists(dir + "/theirs/journal.jsonl"));

  fs::create_directories(dir + "/open");
  ASSERT_EQ(::chmod((dir + "/open").c_str(), 0777), 0);
  auto open = FileJournal::open(dir + "/open/journal.jsonl");
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.error().message.find("writable by every user (and not sticky)"), std::string::npos)
      << open.error().message;
  EXPECT_FALSE(fs::exists(dir + "/open/journal.jsonl"));
  // Sticky like /tmp: others cannot rename or remove our file there.
  ASSERT_EQ(::chmod((dir + "/open").c_str(), 01777), 0);
  EXPECT_TRUE(FileJournal::open(dir + "/open/journal.jsonl").ok());
  fs::remove_all(dir);
}

// `journal show --journal DIR` printed an empty journal and exited 0.
TEST(FileJournal, ReadingADirectoryOrADeviceIsAnErrorNamingTheFlag) {
  const std::string dir = temp_dir();
  auto directory = read_journal_file(dir, "--journal");
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(directory.error().message, "--journal " + dir + ": is a directory; name a file");
  auto device = read_journal_file("/dev/zero");
  ASSERT_FALSE(device.ok());
  EXPECT_EQ(device.error().code, ErrorCode::invalid_input);
  fs::remove_all(dir);
}

// A torn line may end in the middle of a character: that line is reported, not the whole journal.
TEST(FileJournal, ALineTornMidCharacterKeepsTheRestReadable) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/journal.jsonl";
  JournalRecord tagged = intent();
  tagged.reason = "caf\xc3\xa9";
  const std::string line = to_journal_line(tagged);
  spit(path, line + "\n" + line.substr(0, line.find("\xc3") + 1));
  auto contents = read_journal_file(path);
  ASSERT_TRUE(contents.ok()) << contents.error().message;
  EXPECT_EQ(contents->records.size(), 1u);
  ASSERT_EQ(contents->bad_lines.size(), 1u);
  EXPECT_TRUE(contents->bad_lines[0].torn_tail);
  fs::remove_all(dir);
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
