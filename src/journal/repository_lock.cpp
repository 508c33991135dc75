#include "journal/repository_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "journal/private_file.hpp"
#include "journal/state_dir.hpp"

namespace regsweep {
namespace {

void escape_into(std::string& out, const std::string& part) {
  static const char* k_hex = "0123456789ABCDEF";
  for (const unsigned char c : part) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
}

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string parent_of(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string lock_file_name(const std::string& registry, const std::string& region,
                           const std::string& repository) {
  std::string name;
  escape_into(name, registry);
  name += '_';
  escape_into(name, region);
  name += '_';
  escape_into(name, repository);
  if (name.size() > 200) {
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(name)));
    name = name.substr(0, 180) + "~" + hash;
  }
  return name + ".lock";
}

Result<RepositoryLock> RepositoryLock::acquire(const std::string& lock_directory,
                                               const std::string& registry,
                                               const std::string& region,
                                               const std::string& repository, uid_t owner) {
  // Whoever can rename entries in the lock directory, or rename the directory itself, can make
  // two runs lock two different files: both it and the state directory holding it must be ours.
  // The state directory first, so that nothing is created inside one that is not ours.
  if (auto status = create_private_directories(parent_of(lock_directory), owner); !status)
    return status.error();
  if (auto status = create_private_directories(lock_directory, owner); !status)
    return status.error();
  const std::string path = lock_directory + "/" + lock_file_name(registry, region, repository);
  // Never truncated or written before it is known to be our own regular file, and held.
  auto opened = open_private_file("lock " + path, path, O_RDWR | O_CREAT, owner);
  if (!opened) return std::move(opened).take_error();
  const int fd = *opened;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char buffer[32] = {};
    const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    ::close(fd);
    if (error != EWOULDBLOCK) {
      return make_error(ErrorCode::internal,
                        "lock " + path + ": flock failed (" + std::strerror(error) + ")");
    }
    std::string holder = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return make_error(ErrorCode::conflict,
                      "repository " + repository + ": another regsweep run (pid " +
                          (holder.empty() ? std::string("unknown") : holder) +
                          ") is working on it (lock " + path + "); wait for it to finish");
  }
  // Ours now: record who holds it, for the message another run will print.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // The lock itself holds; only the holder's name for others' messages is missing.
  }
  return RepositoryLock(path, fd);
}

RepositoryLock::RepositoryLock(RepositoryLock&& other) noexcept
    : m_path(std::move(other.m_path)), m_fd(other.m_fd) {
  other.m_fd = -1;
}

RepositoryLock& RepositoryLock::operator=(RepositoryLock&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) ::close(m_fd);
    m_path = std::move(other.m_path);
    m_fd = other.m_fd;
    other.m_fd = -1;
  }
  return *this;
}

RepositoryLock::~RepositoryLock() {
  if (m_fd >= 0) ::close(m_fd);  // closing the last descriptor releases the flock
}

}  // namespace regsweep
