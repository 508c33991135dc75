#include "journal/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace regsweep {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

Error refused(const std::string& label, const std::string& problem) {
  return make_error(ErrorCode::invalid_input, label + ": " + problem);
}

Error failed(const std::string& label, const std::string& what, int error) {
  return make_error(ErrorCode::internal, label + ": " + what + " (" + std::strerror(error) +
                                             "); check the path and its permissions");
}

// Why open() failed, for the failures that are the path's fault.
Error open_failure(const std::string& label, const std::string& path, int error) {
  struct stat info {};
  if (error == ELOOP && ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
    return refused(label,
                   "is a symbolic link; regsweep never writes through a link (it can be pointed "
                   "at any file); name the file itself, or replace the link with a file");
  }
  if (error == EISDIR) return refused(label, "is a directory; name a file in it");
  if (error == ENXIO) return refused(label, "is a FIFO or socket; name a regular file");
  return failed(label, "cannot open", error);
}

}  // namespace

Result<int> open_private_file(const std::string& label, const std::string& path, int flags,
                              uid_t owner) {
  const int fd = ::open(path.c_str(), flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0600);
  if (fd < 0) return open_failure(label, path, errno);
  auto close_with = [fd](Error error) -> Result<int> {
    ::close(fd);
    return error;
  };
  struct stat info {};
  if (::fstat(fd, &info) != 0) return close_with(failed(label, "cannot stat", errno));
  if (!S_ISREG(info.st_mode)) {
    return close_with(refused(
        label, "is " + kind_of(info.st_mode) + ", not a regular file; name a regular file"));
  }
  if (info.st_uid != owner) {
    return close_with(refused(
        label, "owned by uid " + std::to_string(info.st_uid) + ", not by this user (uid " +
                   std::to_string(owner) +
                   "); regsweep writes only files of its own; name another file, or chown it"));
  }
  if (info.st_nlink > 1) {
    return close_with(refused(
        label, "has " + std::to_string(info.st_nlink) +
                   " hard links (another name may be another file's); name a file with one link "
                   "(copy it to a new file)"));
  }
  if ((info.st_mode & 07777) != 0600 && ::fchmod(fd, 0600) != 0) {
    return close_with(failed(label, "cannot tighten the mode to 0600", errno));
  }
  // Regular files ignore O_NONBLOCK; cleared anyway so the descriptor is an ordinary one.
  const int status = ::fcntl(fd, F_GETFL);
  if (status < 0 || ::fcntl(fd, F_SETFL, status & ~O_NONBLOCK) != 0) {
    return close_with(failed(label, "fcntl", errno));
  }
  return fd;
}

}  // namespace regsweep
