#include "util/input_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/size.hpp"
#include "util/utf8.hpp"

namespace regsweep {
namespace {

Error input_error(std::string_view what, const std::string& path, const std::string& problem) {
  const std::string name = path == "-" ? "<stdin>" : path;
  return make_error(ErrorCode::invalid_input,
                    (what.empty() ? name : std::string(what) + " " + name) + ": " + problem);
}

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string open_problem(int error) {
  if (error == ENOENT) return "no such file; check the path";
  if (error == ELOOP) return "a symlink loop; point it at a file";
  return std::string("cannot open (") + std::strerror(error) + "); check the path and permissions";
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : m_fd(fd) {}
  ~Descriptor() {
    if (m_fd > 2) ::close(m_fd);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return m_fd; }

 private:
  int m_fd;
};

// Reads `fd` to its end, failing past max_bytes.
Result<std::string> read_to_end(std::string_view what, const std::string& path, int fd,
                                std::size_t max_bytes, bool check_utf8) {
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return input_error(what, path, std::string("cannot read (") + std::strerror(errno) + ")");
    }
    if (n == 0) break;
    if (text.size() + static_cast<std::size_t>(n) > max_bytes) {
      return input_error(what, path,
                         "larger than " + format_bytes(max_bytes) +
                             ", the most an input of this kind may be; check that it is the "
                             "right file");
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  if (const auto bad = check_utf8 ? invalid_utf8_at(text) : std::nullopt) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(text[*bad]));
    return input_error(what, path,
                       describe_position(text, *bad) + ": not valid UTF-8 (byte " + hex +
                           "); save the file as UTF-8");
  }
  return text;
}

// Opens without blocking (a FIFO with no writer would block open() and read() forever) and
// refuses anything but a regular file before reading a byte.
Result<std::string> read_regular(std::string_view what, const std::string& path,
                                 std::size_t max_bytes, bool check_utf8 = true) {
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (fd.get() < 0) return input_error(what, path, open_problem(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0)
    return input_error(what, path, std::string("cannot stat (") + std::strerror(errno) + ")");
  if (S_ISDIR(info.st_mode)) return input_error(what, path, "is a directory; name a file");
  if (!S_ISREG(info.st_mode)) {
    return input_error(what, path,
                       "is " + kind_of(info.st_mode) +
                           ", not a regular file; save the input to a file, or pass - to read "
                           "it from standard input");
  }
  return read_to_end(what, path, fd.get(), max_bytes, check_utf8);
}

}  // namespace

Result<std::string> read_input_file(std::string_view what, const std::string& path,
                                    std::size_t max_bytes) {
  if (path.empty()) return input_error(what, path, "empty path; name a file");
  if (path == "-") return read_to_end(what, path, STDIN_FILENO, max_bytes, true);
  return read_regular(what, path, max_bytes);
}

Result<std::string> read_input_bytes(std::string_view what, const std::string& path,
                                     std::size_t max_bytes) {
  if (path.empty()) return input_error(what, path, "empty path; name a file");
  if (path == "-") return read_to_end(what, path, STDIN_FILENO, max_bytes, false);
  return read_regular(what, path, max_bytes, false);
}

Result<std::vector<InputFile>> read_input_files(std::string_view what, const std::string& path,
                                                std::size_t max_bytes) {
  struct stat info {};
  if (path != "-" && !path.empty() && ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return input_error(what, path, open_problem(errno));
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] != '.') names.emplace_back(entry->d_name);
    }
    const int error = errno;
    ::closedir(dir);
    if (error != 0)
      return input_error(what, path, std::string("cannot list (") + std::strerror(error) + ")");
    if (names.empty()) {
      return input_error(what, path,
                         "a directory with no files in it; name a file, or mount the "
                         "ConfigMap with its keys");
    }
    std::sort(names.begin(), names.end());
    std::vector<InputFile> files;
    std::size_t total = 0;
    const std::string folder = path.back() == '/' ? path : path + "/";
    for (const auto& name : names) {
      auto text = read_regular(what, folder + name, max_bytes - std::min(total, max_bytes));
      if (!text) return std::move(text).take_error();
      total += text->size();
      files.push_back({folder + name, std::move(text).value()});
    }
    return files;
  }
  auto text = read_input_file(what, path, max_bytes);
  if (!text) return std::move(text).take_error();
  return std::vector<InputFile>{{path == "-" ? "<stdin>" : path, std::move(text).value()}};
}

std::string describe_position(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1);
}

}  // namespace regsweep
