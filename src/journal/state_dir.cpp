#include "journal/state_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace regsweep {

GetEnv process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<std::string> default_state_directory(const GetEnv& env) {
  // The XDG spec says relative paths in XDG_* variables are invalid and to be ignored.
  if (auto xdg = env("XDG_STATE_HOME"); xdg && xdg->starts_with('/')) return *xdg + "/regsweep";
  if (auto home = env("HOME"); home && !home->empty()) return *home + "/.local/state/regsweep";
  return make_error(
      ErrorCode::invalid_input,
      "state directory: neither XDG_STATE_HOME nor HOME is set; set one, or pass --journal FILE");
}

Result<std::string> default_journal_path(const GetEnv& env) {
  auto dir = default_state_directory(env);
  if (!dir) return dir.error();
  return *dir + "/journal.jsonl";
}

uid_t effective_uid() {
  return ::geteuid();
}

Status check_private_directory(const std::string& given, uid_t owner) {
  // lstat("link/") would follow the link.
  std::string path = given;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  auto refuse = [&](const std::string& problem) -> Status {
    return make_error(ErrorCode::invalid_input, "state directory " + path + ": " + problem);
  };
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    return make_error(ErrorCode::internal, "state directory " + path + ": cannot stat (" +
                                               std::strerror(errno) + "); check permissions");
  }
  if (S_ISLNK(info.st_mode)) {
    return refuse(
        "is a symbolic link; regsweep keeps its journal and locks only in a real directory (a "
        "link can be pointed anywhere); name the real directory (--journal, XDG_STATE_HOME) or "
        "replace the link with a directory");
  }
  if (!S_ISDIR(info.st_mode)) return refuse("not a directory; move it aside");
  if (info.st_uid != owner && info.st_uid != 0) {
    return refuse("owned by uid " + std::to_string(info.st_uid) + ", not by this user (uid " +
                  std::to_string(owner) +
                  "), who could rename or replace the files in it; use a directory of your own");
  }
  if ((info.st_mode & S_IWOTH) != 0 && (info.st_mode & S_ISVTX) == 0) {
    return refuse(
        "writable by every user (and not sticky), who could rename or replace the files in it; "
        "chmod o-w it, or use a directory of your own");
  }
  return ok_status();
}

Status create_private_directories(const std::string& path, uid_t owner) {
  if (path.empty()) return ok_status();
  std::string prefix;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    prefix = path.substr(0, next);
    pos = next + 1;
    if (prefix.empty()) continue;  // the leading '/'
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return make_error(ErrorCode::internal, "state directory " + prefix + ": cannot create (" +
                                                 std::strerror(errno) + "); check permissions");
    }
  }
  return check_private_directory(path, owner);
}

}  // namespace regsweep
