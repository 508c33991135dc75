// One regsweep run per repository at a time: an flock() on a lock file under the state directory,
// keyed by registry + region + repository. acquire() never waits: when another run (or another
// open file description in this process) holds the lock, it fails with `conflict`, naming the
// holder's pid, which each holder writes into its lock file. The lock is released when the
// RepositoryLock is destroyed (or the process dies: the kernel drops flock()s with the file). Lock
// files are left in place: removing one would let a third run lock a fresh inode while the second
// still holds the old one.
#pragma once

#include <string>

#include "journal/state_dir.hpp"
#include "util/result.hpp"

namespace regsweep {

class RepositoryLock {
 public:
  // `lock_directory` is created (0700) when missing, e.g. <state directory>/locks. Its parent
  // (the state directory), then it, must pass check_private_directory, and the lock file
  // open_private_file (regular, owned by `owner`, one link, no symlink; state_dir.hpp,
  // private_file.hpp): else invalid_input, and nothing is written. The file is truncated only once
  // it is ours and held.
  static Result<RepositoryLock> acquire(const std::string& lock_directory,
                                        const std::string& registry, const std::string& region,
                                        const std::string& repository,
                                        uid_t owner = effective_uid());

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
