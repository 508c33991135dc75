#include "aws/aws_config.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "util/ascii.hpp"

namespace regsweep {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string expand_home(const std::string& path, const std::string& home) {
  if (path == "~") return home;
  if (path.starts_with("~/")) return home + path.substr(1);
  return path;
}

}  // namespace

IniFile parse_aws_ini(std::string_view text) {
  IniFile out;
  IniSection* section = nullptr;
  std::string parent_key;  // the last "key =" with an empty value, for indented sub-keys
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find('\n', pos), text.size());
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      // "[ profile   dev ]" -> "profile dev"
      std::string name;
      bool space = false;
      for (char c : trim(line.substr(1, line.size() - 2))) {
        if (c == ' ' || c == '\t') {
          space = true;
          continue;
        }
        if (space && !name.empty()) name += ' ';
        space = false;
        name += c;
      }
      section = &out[name];
      parent_key.clear();
      continue;
    }
    if (section == nullptr) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key(trim(line.substr(0, eq)));
    const std::string value(trim(line.substr(eq + 1)));
    if (indented && !parent_key.empty()) {
      (*section)[parent_key + "." + key] = value;
      continue;
    }
    (*section)[key] = value;
    parent_key = value.empty() ? key : "";
  }
  return out;
}

AwsConfigFiles load_aws_config_files(const AwsEnvironment& env) {
  AwsConfigFiles files;
  const std::string config = env_value(env, "AWS_CONFIG_FILE");
  const std::string creds = env_value(env, "AWS_SHARED_CREDENTIALS_FILE");
  files.config_path = expand_home(config.empty() ? "~/.aws/config" : config, env.home);
  files.credentials_path = expand_home(creds.empty() ? "~/.aws/credentials" : creds, env.home);
  files.config = parse_aws_ini(read_file(files.config_path));
  files.credentials = parse_aws_ini(read_file(files.credentials_path));
  return files;
}

std::string AwsProfile::config_value(const std::string& key) const {
  auto it = config.find(key);
  return it == config.end() ? std::string() : it->second;
}

std::string AwsProfile::credentials_value(const std::string& key) const {
  auto it = credentials.find(key);
  return it == credentials.end() ? std::string() : it->second;
}

AwsProfile find_profile(const AwsConfigFiles& files, const std::string& name) {
  AwsProfile profile;
  profile.name = name;
  // [default] and [profile default] both name the default profile; the explicit form wins.
  if (name == "default") {
    if (auto it = files.config.find("default"); it != files.config.end()) {
      profile.config = it->second;
      profile.exists = true;
    }
  }
  if (auto it = files.config.find("profile " + name); it != files.config.end()) {
    for (const auto& [k, v] : it->second) profile.config[k] = v;
    profile.exists = true;
  }
  if (auto it = files.credentials.find(name); it != files.credentials.end()) {
    profile.credentials = it->second;
    profile.exists = true;
  }
  if (const std::string services = profile.config_value("services"); !services.empty()) {
    if (auto it = files.config.find("services " + services); it != files.config.end())
      profile.services = it->second;
  }
  return profile;
}

std::string selected_profile_name(const std::string& flag, const AwsEnvironment& env) {
  if (!flag.empty()) return flag;
  if (auto v = env_value(env, "AWS_PROFILE"); !v.empty()) return v;
  if (auto v = env_value(env, "AWS_DEFAULT_PROFILE"); !v.empty()) return v;
  return "default";
}

std::string env_value(const AwsEnvironment& env, const std::string& name) {
  auto it = env.variables.find(name);
  return it == env.variables.end() ? std::string() : it->second;
}

bool env_true(const AwsEnvironment& env, const std::string& name) {
  const std::string v = ascii_lower(env_value(env, name));
  return v == "true" || v == "1";
}

}  // namespace regsweep
