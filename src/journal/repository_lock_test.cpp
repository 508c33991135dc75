#include "journal/repository_lock.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace regsweep {
namespace {

namespace fs = std::filesystem;

std::string temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "regsweep-lock-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

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
