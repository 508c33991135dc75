// One regsweep run per repository at a time: an flock() on a lock file under the state directory,
// keyed by registry + region + repository. acquire() never waits: when another run (or another
// open file description in this process) holds the lock, it fails with `conflict`, naming the
// holder's pid, which each holder writes into its lock file. The lock is released when the
// RepositoryLock is destroyed (or the process dies: the kernel drops flock()s with the file). Lock
// files are left in place: removing one would let a third run lock a fresh inode while the second
// still holds the old one.
#pragma once

#include <string>

#include "util/result.hpp"

namespace regsweep {

class RepositoryLock {
 public:
  // `lock_directory` is created (0700) when missing, e.g. <state directory>/locks.
  static Result<RepositoryLock> acquire(const std::string& lock_directory,
                                        const std::string& registry, const std::string& region,
                                        const std::string& repository);

  RepositoryLock(RepositoryLock&& other) noexcept;
  RepositoryLock& operator=(RepositoryLock&& other) noexcept;
  RepositoryLock(const RepositoryLock&) = delete;
  RepositoryLock& operator=(const RepositoryLock&) = delete;
  ~RepositoryLock();

  const std::string& path() const { return m_path; }

 private:
  RepositoryLock(std::string path, int fd) : m_path(std::move(path)), m_fd(fd) {}
  std::string m_path;
  int m_fd = -1;
};

// The lock file's name: the three parts escaped (bytes outside [A-Za-z0-9.-] become %XX) and
// joined by '_', so different keys never share a file; past 200 bytes it is cut and a hash added.
std::string lock_file_name(const std::string& registry, const std::string& region,
                           const std::string& repository);

}  // namespace regsweep
