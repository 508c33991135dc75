#include "journal/state_dir.hpp"

#include <sys/stat.h>

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

Status create_private_directories(const std::string& path) {
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
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return make_error(ErrorCode::internal,
                      "state directory " + path + ": not a directory; move it aside");
  }
  return ok_status();
}

}  // namespace regsweep
