// The journal file: O_APPEND so concurrent runs interleave whole lines, one write() per record so a
// crash leaves at most one torn line (at the end), fsync() before returning so "appended" means
// "on disk" before the delete call is made.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "journal/journal.hpp"
#include "journal/state_dir.hpp"

namespace regsweep {
namespace {

Error io_error(const std::string& path, const std::string& what) {
  return make_error(ErrorCode::internal,
                    "journal " + path + ": " + what + " (" + std::strerror(errno) +
                        "); nothing is deleted without a journal, check the path or --journal");
}

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(path, "write");
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<FileJournal>> FileJournal::open(const std::string& path) {
  if (path.empty())
    return make_error(ErrorCode::invalid_input, "journal: empty path; pass --journal FILE");
  if (auto status = create_private_directories(parent_of(path)); !status) return status.error();
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return io_error(path, "cannot open");
  std::unique_ptr<FileJournal> journal(new FileJournal(path, fd));
  // A torn last line from a crash: end it, so the next record is not glued onto it.
  const int reader = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (reader < 0) return io_error(path, "cannot open for reading");
  char last = '\n';
  const off_t size = ::lseek(reader, 0, SEEK_END);
  const bool got = size <= 0 || ::pread(reader, &last, 1, size - 1) == 1;
  ::close(reader);
  if (!got) return io_error(path, "cannot read the last byte");
  if (last != '\n') {
    if (auto status = write_all(fd, "\n", path); !status) return status.error();
    if (::fsync(fd) != 0) return io_error(path, "fsync");
  }
  // The new file's directory entry must survive a crash too.
  if (const int dir = ::open(parent_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return journal;
}

FileJournal::~FileJournal() {
  if (m_fd >= 0) ::close(m_fd);
}

Status FileJournal::append(const JournalRecord& record) {
  const std::string line = to_journal_line(record) + "\n";
  if (auto status = write_all(m_fd, line, m_path); !status) return status;
  if (::fsync(m_fd) != 0) return io_error(m_path, "fsync");
  return ok_status();
}

Result<JournalContents> read_journal_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const auto code = errno == ENOENT ? ErrorCode::not_found : ErrorCode::invalid_input;
    return make_error(code, "journal " + path + ": cannot open (" + std::strerror(errno) +
                                "); nothing has been journaled there yet, or pass --journal FILE");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_journal(text.str());
}

}  // namespace regsweep
