// The shared AWS files (~/.aws/config and ~/.aws/credentials, or AWS_CONFIG_FILE /
// AWS_SHARED_CREDENTIALS_FILE) read the way botocore reads them (docs/research/ecr-api.md §7.2):
// INI sections,
// '#'/';' comment lines, no inline comments, and indented "sub = value" lines under an empty
// "key =" stored as "key.sub" (e.g. [services x] ecr = / endpoint_url = ... -> "ecr.endpoint_url").
// A missing file is an empty file; an unreadable one too (the chain then reports what it tried).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "aws/credentials.hpp"

namespace regsweep {

using IniSection = std::map<std::string, std::string>;
using IniFile = std::map<std::string, IniSection>;  // section name as written, e.g. "profile dev"

IniFile parse_aws_ini(std::string_view text);

struct AwsConfigFiles {
  std::string config_path;
  std::string credentials_path;
  IniFile config;
  IniFile credentials;
};

AwsConfigFiles load_aws_config_files(const AwsEnvironment& env);

// One profile's settings from both files. Lookups never fail: a missing key is "".
struct AwsProfile {
  std::string name;
  IniSection config;       // [profile name] (or [default]) in the config file
  IniSection credentials;  // [name] in the credentials file
  IniSection services;     // the [services x] section the profile's "services" key names
  bool exists = false;

  std::string config_value(const std::string& key) const;
  std::string credentials_value(const std::string& key) const;
};

AwsProfile find_profile(const AwsConfigFiles& files, const std::string& name);

// --profile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default" (CLI v2's order).
std::string selected_profile_name(const std::string& flag, const AwsEnvironment& env);

// The variable's value or "".
std::string env_value(const AwsEnvironment& env, const std::string& name);
bool env_true(const AwsEnvironment& env, const std::string& name);

}  // namespace regsweep
