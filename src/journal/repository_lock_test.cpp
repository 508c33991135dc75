#include "journal/repository_lock.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace regsweep {
namespace {

namespace fs = std::filesystem;

std::string temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "regsweep-lock-XXXXXX").string();
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

// See journal_test.cpp: as root, really given to uid 4242; else another uid is checked for.
uid_t give_away(const std::string& path) {
  if (::geteuid() != 0) return ::geteuid() + 1;
  EXPECT_EQ(::lchown(path.c_str(), 4242, 4242), 0) << path;
  return ::geteuid();
}

const std::string k_victim_text = "someone's file\n";

TEST(RepositoryLock, SecondAcquireConflictsNamingThePidUntilReleased) {
  const std::string dir = temp_dir() + "/locks";
  {
    auto first = RepositoryLock::acquire(dir, "123456789012", "eu-west-1", "team/api");
    ASSERT_TRUE(first.ok()) << first.error().message;
    // Each acquire opens its own file description, so flock() conflicts even within a process.
    auto second = RepositoryLock::acquire(dir, "123456789012", "eu-west-1", "team/api");
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, ErrorCode::conflict);
    EXPECT_NE(second.error().message.find("(pid " + std::to_string(::getpid()) + ")"),
              std::string::npos)
        << second.error().message;
    // Other repositories, regions and registries are independent.
    EXPECT_TRUE(RepositoryLock::acquire(dir, "123456789012", "eu-west-1", "team/web").ok());
    EXPECT_TRUE(RepositoryLock::acquire(dir, "123456789012", "us-east-1", "team/api").ok());
    EXPECT_TRUE(RepositoryLock::acquire(dir, "210987654321", "eu-west-1", "team/api").ok());
    // Moving keeps it held.
    RepositoryLock moved = std::move(*first);
    EXPECT_FALSE(RepositoryLock::acquire(dir, "123456789012", "eu-west-1", "team/api").ok());
  }
  EXPECT_TRUE(RepositoryLock::acquire(dir, "123456789012", "eu-west-1", "team/api").ok());
  fs::remove_all(fs::path(dir).parent_path());
}

TEST(RepositoryLock, HeldAcrossProcesses) {
  const std::string dir = temp_dir() + "/locks";
  int to_parent[2];
  int to_child[2];
  ASSERT_EQ(::pipe(to_parent), 0);
  ASSERT_EQ(::pipe(to_child), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto lock = RepositoryLock::acquire(dir, "r", "eu-west-1", "team/api");
    const char ok = lock.ok() ? 'y' : 'n';
    (void)!::write(to_parent[1], &ok, 1);
    char go = 0;
    (void)!::read(to_child[0], &go, 1);  // hold the lock until the parent has tried
    ::_exit(0);
  }
  char ok = 0;
  ASSERT_EQ(::read(to_parent[0], &ok, 1), 1);
  ASSERT_EQ(ok, 'y');
  auto blocked = RepositoryLock::acquire(dir, "r", "eu-west-1", "team/api");
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::conflict);
  EXPECT_NE(blocked.error().message.find("(pid " + std::to_string(child) + ")"), std::string::npos)
      << blocked.error().message;
  ASSERT_EQ(::write(to_child[1], "g", 1), 1);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  // The child's exit released it.
  EXPECT_TRUE(RepositoryLock::acquire(dir, "r", "eu-west-1", "team/api").ok());
  for (int fd : {to_parent[0], to_parent[1], to_child[0], to_child[1]}) ::close(fd);
  fs::remove_all(fs::path(dir).parent_path());
}

// Issue 11: lock files were opened without O_NOFOLLOW and truncated: a link at the lock's name
// emptied its target and wrote a pid into it.
TEST(RepositoryLock, ALinkAtTheLockFileIsRefusedAndItsTargetNotTruncated) {
  const std::string root = temp_dir();
  const std::string dir = root + "/locks";
  ASSERT_TRUE(RepositoryLock::acquire(dir, "r", "eu-west-1", "team/web").ok());  // makes dir
  const std::string victim = root + "/victim.txt";
  spit(victim, k_victim_text);
  const std::string path = dir + "/" + lock_file_name("r", "eu-west-1", "team/api");
  ASSERT_EQ(::symlink(victim.c_str(), path.c_str()), 0);
  auto lock = RepositoryLock::acquire(dir, "r", "eu-west-1", "team/api");
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(lock.error().message.rfind("lock " + path + ": is a symbolic link; ", 0), 0u)
      << lock.error().message;
  EXPECT_EQ(slurp(victim), k_victim_text);
  // A hard link: the victim under the lock's name.
  ASSERT_EQ(::unlink(path.c_str()), 0);
  ASSERT_EQ(::link(victim.c_str(), path.c_str()), 0);
  auto linked = RepositoryLock::acquire(dir, "r", "eu-west-1", "team/api");
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.error().message.find(": has 2 hard links"), std::string::npos)
      << linked.error().message;
  EXPECT_EQ(slurp(victim), k_victim_text);
  fs::remove_all(root);
}

TEST(RepositoryLock, ALockFileOfSomeoneElseOrNotARegularFileIsRefusedUntouched) {
  // As a normal user the lock directory is /tmp (root's, sticky), which passes for the other
  // owner checked for; the repository name is unique to this process.
  const std::string root = temp_dir();
  const std::string dir = ::geteuid() == 0 ? root + "/locks" : "/tmp";
  const std::string repository = "foreign-" + std::to_string(::getpid());
  (void)::mkdir(dir.c_str(), 0700);
  const std::string path = dir + "/" + lock_file_name("r", "eu-west-1", repository);
  spit(path, k_victim_text);
  const uid_t owner = give_away(path);
  auto foreign = RepositoryLock::acquire(dir, "r", "eu-west-1", repository, owner);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(foreign.error().message.rfind("lock " + path + ": owned by uid ", 0), 0u)
      << foreign.error().message;
  EXPECT_EQ(slurp(path), k_victim_text);
  ::unlink(path.c_str());

  const std::string fifo = root + "/locks/" + lock_file_name("r", "eu-west-1", "team/api");
  (void)::mkdir((root + "/locks").c_str(), 0700);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto piped = RepositoryLock::acquire(root + "/locks", "r", "eu-west-1", "team/api");
  ASSERT_FALSE(piped.ok());
  EXPECT_NE(piped.error().message.find("is a FIFO (named pipe), not a regular file"),
            std::string::npos)
      << piped.error().message;
  fs::remove_all(root);
}

// Whoever can rename entries in the lock directory, or the directory itself, can hand two runs
// two different lock files: a linked or foreign lock directory or state directory is refused.
TEST(RepositoryLock, ALockOrStateDirectoryThatIsALinkOrNotOursIsRefused) {
  const std::string root = temp_dir();
  fs::create_directories(root + "/elsewhere");
  ASSERT_EQ(::symlink((root + "/elsewhere").c_str(), (root + "/locks").c_str()), 0);
  auto linked = RepositoryLock::acquire(root + "/locks", "r", "eu-west-1", "team/api");
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.error().message.find("state directory " + root + "/locks: is a symbolic link"),
            std::string::npos)
      << linked.error().message;
  EXPECT_TRUE(fs::is_empty(root + "/elsewhere"));

  fs::create_directories(root + "/theirs");
  const uid_t owner = give_away(root + "/theirs");
  auto foreign_state =
      RepositoryLock::acquire(root + "/theirs/locks", "r", "eu-west-1", "a", owner);
  ASSERT_FALSE(foreign_state.ok());
  EXPECT_NE(foreign_state.error().message.find("state directory " + root + "/theirs: owned by uid"),
            std::string::npos)
      << foreign_state.error().message;
  EXPECT_FALSE(fs::exists(root + "/theirs/locks"));  // nothing created in someone else's directory
  fs::remove_all(root);
}

TEST(RepositoryLock, FileNamesAreEscapedAndBounded) {
  EXPECT_EQ(lock_file_name("123456789012", "eu-west-1", "team/api"),
            "123456789012_eu-west-1_team%2Fapi.lock");
  EXPECT_NE(lock_file_name("a_b", "", "c"), lock_file_name("a", "b", "c"));
  const std::string long_a = lock_file_name("r", "x", std::string(250, 'a'));
  const std::string long_b = lock_file_name("r", "x", std::string(249, 'a') + "b");
  EXPECT_LE(long_a.size(), 255u);
  EXPECT_NE(long_a, long_b);
}

}  // namespace
}  // namespace regsweep
