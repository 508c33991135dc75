#include "aws/endpoint.hpp"

#include <algorithm>
#include <cctype>

#include "http/http_client.hpp"
#include "http/url.hpp"
#include "util/ascii.hpp"

namespace regsweep {
namespace {

bool is_true(const std::string& value) {
  const std::string v = ascii_lower(value);
  return v == "true" || v == "1";
}

std::string value_of(const IniSection& section, const std::string& key) {
  auto it = section.find(key);
  return it == section.end() ? std::string() : it->second;
}

}  // namespace

bool is_region_name(const std::string& r) {
  return !r.empty() && r.size() <= 64 && std::all_of(r.begin(), r.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '-';
  });
}

std::string find_region(const std::string& flag, const AwsEnvironment& env,
                        const AwsProfile& profile) {
  if (!flag.empty()) return flag;
  if (auto v = env_value(env, "AWS_REGION"); !v.empty()) return v;
  if (auto v = env_value(env, "AWS_DEFAULT_REGION"); !v.empty()) return v;
  return profile.config_value("region");
}

Result<std::string> resolve_region(const std::string& flag, const AwsEnvironment& env,
                                   const AwsProfile& profile) {
  const std::string region = find_region(flag, env, profile);
  if (region.empty())
    return make_error(ErrorCode::invalid_input,
                      "aws: region: none found (looked at --region, AWS_REGION, AWS_DEFAULT_REGION "
                      "and profile '" +
                          profile.name + "'); fix: pass --region, e.g. --region us-east-1");
  if (has_control_character(region))  // not echoed: it would break the terminal line
    return make_error(ErrorCode::invalid_input,
                      "aws: region: contains a control character; fix: use a name like eu-west-1 "
                      "(check --region, AWS_REGION, AWS_DEFAULT_REGION and the profile's region)");
  if (!is_region_name(region))
    return make_error(
        ErrorCode::invalid_input,
        "aws: region: '" + region + "' is not a region name; fix: use a name like eu-west-1");
  return region;
}

std::string dns_suffix(const std::string& region) {
  if (region.starts_with("cn-")) return "amazonaws.com.cn";
  if (region.starts_with("us-isob-")) return "sc2s.sgov.gov";
  if (region.starts_with("us-iso-")) return "c2s.ic.gov";
  return "amazonaws.com";
}

Result<std::string> resolve_endpoint_url(const ServiceEndpointNames& names, const std::string& flag,
                                         const std::string& region, const AwsEnvironment& env,
                                         const AwsProfile& profile) {
  std::string url = flag;
  std::string source = "--endpoint-url";
  if (url.empty() && !env_true(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
    const std::pair<std::string, std::string> candidates[] = {
        {env_value(env, "AWS_ENDPOINT_URL_" + names.env_suffix),
         "AWS_ENDPOINT_URL_" + names.env_suffix},
        {env_value(env, "AWS_ENDPOINT_URL"), "AWS_ENDPOINT_URL"},
        {value_of(profile.services, names.services_key + ".endpoint_url"),
         "services " + profile.config_value("services") + " in the config file"},
        {profile.config_value("endpoint_url"), "endpoint_url of profile " + profile.name},
    };
    for (const auto& [value, name] : candidates) {
      if (!value.empty()) {
        url = value;
        source = name;
        break;
      }
    }
  }
  if (!url.empty()) {
    auto parsed = parse_url(url);
    if (!parsed)
      return make_error(ErrorCode::invalid_input,
                        "aws: endpoint from " + source + ": " + parsed.error().message);
    return url;
  }
  const bool fips =
      env_true(env, "AWS_USE_FIPS_ENDPOINT") || is_true(profile.config_value("use_fips_endpoint"));
  return "https://" + (fips ? names.fips_prefix : names.host_prefix) + "." + region + "." +
         dns_suffix(region);
}

}  // namespace regsweep
