// The journal file: O_APPEND so concurrent runs interleave whole lines; the lines of concurrent
// appends go out in one write() and one fsync() (group commit), so a crash leaves at most one torn
// line (at the end), and an append returns only once its lines are on disk: "appended" means "on
// disk" before the delete call is made.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "journal/journal.hpp"
#include "journal/private_file.hpp"
#include "journal/state_dir.hpp"
#include "util/input_file.hpp"

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

Result<std::unique_ptr<FileJournal>> FileJournal::open(const std::string& path, uid_t owner) {
  if (path.empty())
    return make_error(ErrorCode::invalid_input, "journal: empty path; pass --journal FILE");
  if (path == "-") {
    return make_error(ErrorCode::invalid_input,
                      "journal -: a journal is a file, not standard output; pass --journal FILE");
  }
  const std::string label = "journal " + path;
  if (auto status = create_private_directories(parent_of(path), owner); !status) {
    auto error = std::move(status).take_error();
    error.message = label + ": " + error.message;
    return error;
  }
  // Read and write on one descriptor: the torn-line check below reads the file it will write.
  auto fd = open_private_file(label, path, O_RDWR | O_APPEND | O_CREAT, owner);
  if (!fd) return std::move(fd).take_error();
  std::unique_ptr<FileJournal> journal(new FileJournal(path, *fd));
  // A torn last line from a crash: end it, so the next record is not glued onto it.
  struct stat info {};
  if (::fstat(*fd, &info) != 0) return io_error(path, "cannot stat");
  char last = '\n';
  if (info.st_size > 0 && ::pread(*fd, &last, 1, info.st_size - 1) != 1)
    return io_error(path, "cannot read the last byte");
  if (last != '\n') {
    if (auto status = write_all(*fd, "\n", path); !status) return status.error();
    if (::fsync(*fd) != 0) return io_error(path, "fsync");
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
  return append_all(std::span<const JournalRecord>(&record, 1));
}

// Every line of the group in one write() (O_APPEND keeps it whole against other processes) and
// one fsync(): a batch of 100 deletions costs two fsyncs (intents, results), not 200.
Status FileJournal::append_all(std::span<const JournalRecord> records) {
  if (records.empty()) return ok_status();
  std::string lines;
  for (const auto& record : records) lines += to_journal_line(record) + "\n";
  std::unique_lock lock(m_mutex);
  m_queued += lines;
  const std::uint64_t ticket = ++m_enqueued;
  while (m_settled < ticket) {
    if (m_flushing) {
      m_flushed.wait(lock);
      continue;
    }
    // Lead: write out everything queued so far, ours included, outside the lock.
    m_flushing = true;
    const std::uint64_t first = m_settled + 1, last = m_enqueued;
    std::string batch = std::move(m_queued);
    m_queued.clear();
    lock.unlock();
    Status written = write_all(m_fd, batch, m_path);
    if (written && ::fsync(m_fd) != 0) written = io_error(m_path, "fsync");
    lock.lock();
    if (!written) m_failures.push_back({first, last, written.error()});
    m_settled = last;
    m_flushing = false;
    m_flushed.notify_all();
  }
  for (const auto& failure : m_failures) {
    if (ticket >= failure.first && ticket <= failure.last) return failure.error;
  }
  return ok_status();
}

Result<JournalContents> read_journal_file(const std::string& path, std::string_view what) {
  // Missing is not an error: nothing has been journaled there yet.
  struct stat info {};
  if (path != "-" && !path.empty() && ::stat(path.c_str(), &info) != 0 && errno == ENOENT) {
    return make_error(ErrorCode::not_found,
                      std::string(what) + " " + path +
                          ": no such file; nothing has been journaled there yet, or pass "
                          "--journal FILE");
  }
  // Not checked as UTF-8 as a whole: a line torn mid-character is reported by parse_journal, and
  // the records around it stay readable.
  auto text = read_input_bytes(what, path, k_journal_max_bytes);
  if (!text) return std::move(text).take_error();
  return parse_journal(*text);
}

}  // namespace regsweep
