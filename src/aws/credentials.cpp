// The default credential chain (docs/research/ecr-api.md §7.1, botocore's order):
//   1. environment keys (skipped when --profile is given explicitly)
//   2. the profile's role_arn (source_profile | credential_source | web_identity_token_file)
//   3. web identity from the environment (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)
//   4. the profile: IAM Identity Center (sso_session or sso_start_url, with sso_account_id and
//      sso_role_name: the AWS CLI's cached token traded for role credentials, sso_credentials.hpp),
//      static keys in the credentials file, credential_process, static keys in the config file
//   5. container credentials   6. IMDSv2
// The first source that is configured wins; if it then fails, that failure is the answer (the
// chain does not silently fall through to, say, an instance role). --role-arn assumes a role on
// top of whatever was found. Temporary credentials are cached and refreshed 15 minutes before
// they expire, one refresh at a time.
#include "aws/credentials.hpp"

#include <chrono>
#include <set>

#include "aws/aws_config.hpp"
#include "aws/credential_sources.hpp"
#include "aws/endpoint.hpp"
#include "aws/refreshing_provider.hpp"
#include "aws/sso_credentials.hpp"
#include "aws/sts.hpp"

extern char** environ;

namespace regsweep {
namespace {

using Fetcher = RefreshingProvider::Fetcher;

class ChainBuilder {
 public:
  ChainBuilder(const CredentialOptions& options, const AwsEnvironment& env,
               std::shared_ptr<HttpClient> http)
      : m_options(options), m_env(env), m_http(std::move(http)) {
    if (m_env.clock == nullptr) m_env.clock = &system_clock();
    m_files = load_aws_config_files(m_env);
    // Metadata services are plain http on link-local addresses: a client of their own, with
    // short timeouts so a laptop without them does not hang.
    HttpOptions metadata;
    metadata.connect_timeout = std::chrono::milliseconds(1000);
    metadata.request_timeout = std::chrono::milliseconds(2000);
    metadata.max_response_bytes = 1u << 20;
    metadata.allow_plain_http = true;
    m_metadata_http = make_curl_client(metadata);
  }

  Result<std::shared_ptr<CredentialsProvider>> build() {
    const std::string name = selected_profile_name(m_options.profile, m_env);
    const AwsProfile profile = find_profile(m_files, name);
    if (!profile.exists && name != "default")
      return make_error(ErrorCode::invalid_input,
                        "aws credentials: profile '" + name + "' is in neither " +
                            m_files.credentials_path + " nor " + m_files.config_path +
                            "; fix: check --profile / AWS_PROFILE");
    m_region = find_region(m_options.region, m_env, profile);  // for STS only
    auto base = find_base(profile);
    if (!base) return base.error();
    auto provider = std::make_shared<RefreshingProvider>(std::move(*base), *m_env.clock);
    if (auto first = provider->credentials(); !first) return first.error();
    if (m_options.role_arn.empty()) return std::shared_ptr<CredentialsProvider>(provider);
    // --role-arn: AssumeRole on top of whatever the chain found.
    auto sts = resolve_sts(m_env, profile, m_region, m_http);
    if (!sts) return sts.error();
    AssumeRoleParams params{m_options.role_arn, m_options.role_session_name, m_options.external_id,
                            0};
    Fetcher assume = [provider, sts = *sts, params]() -> Result<AwsCredentials> {
      auto source = provider->credentials();
      if (!source) return source.error();
      auto creds = sts_assume_role(sts, *source, params);
      if (creds) creds->source = "assumed role " + params.role_arn + " via " + source->source;
      return creds;
    };
    auto assumed = std::make_shared<RefreshingProvider>(std::move(assume), *m_env.clock);
    if (auto first = assumed->credentials(); !first) return first.error();
    return std::shared_ptr<CredentialsProvider>(assumed);
  }

 private:
  Result<Fetcher> find_base(const AwsProfile& profile) {
    if (m_options.profile.empty()) {
      m_tried.push_back("environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
      auto env = environment_credentials(m_env);
      if (!env) return env.error();
      if (*env) return fixed(**env);
    }
    std::set<std::string> visiting;
    auto role = role_fetcher(profile, visiting);
    if (!role) return role.error();
    if (*role) return **role;

    m_tried.push_back("web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)");
    const std::string token_file = env_value(m_env, "AWS_WEB_IDENTITY_TOKEN_FILE");
    const std::string role_arn = env_value(m_env, "AWS_ROLE_ARN");
    if (!token_file.empty() && !role_arn.empty()) {
      std::string session = env_value(m_env, "AWS_ROLE_SESSION_NAME");
      if (session.empty()) session = m_options.role_session_name;
      return web_identity(profile, role_arn, session, token_file);
    }

    m_tried.push_back("profile '" + profile.name + "' (" + m_files.credentials_path + ", " +
                      m_files.config_path + ")");
    auto plain = plain_profile_fetcher(profile);
    if (!plain) return plain.error();
    if (*plain) return **plain;

    m_tried.push_back("container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI)");
    if (container_credentials_configured(m_env)) {
      auto env = m_env;
      auto http = m_metadata_http;
      return Fetcher([env, http] { return container_credentials(env, *http); });
    }

    m_tried.push_back(
        imds_disabled(m_env)
            ? std::string("EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)")
            : "EC2 instance metadata (" + imds_endpoint(m_env) + ", no answer)");
    auto imds = imds_fetcher(false);
    if (!imds) return imds.error();
    if (*imds) return **imds;

    std::string tried;
    for (const auto& t : m_tried) tried += (tried.empty() ? "" : "; ") + t;
    return make_error(ErrorCode::unauthorized,
                      "aws credentials: none found; tried: " + tried +
                          "; fix: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --profile "
                          "(an SSO profile after `aws sso login`)");
  }

  static Fetcher fixed(AwsCredentials creds) {
    return [creds] { return Result<AwsCredentials>(creds); };
  }

  // nullopt when IMDS is disabled or silent; with `required` that is an error instead.
  Result<std::optional<Fetcher>> imds_fetcher(bool required) {
    auto probe = imds_credentials(m_env, *m_metadata_http);
    if (!probe) return probe.error();
    if (!*probe) {
      if (!required) return std::optional<Fetcher>();
      return make_error(ErrorCode::unauthorized,
                        "aws credentials: credential_source Ec2InstanceMetadata: no instance "
                        "role from " +
                            imds_endpoint(m_env) + "; fix: attach an instance profile");
    }
    auto env = m_env;
    auto http = m_metadata_http;
    auto first = std::make_shared<std::optional<AwsCredentials>>(std::move(*probe));
    return std::optional<Fetcher>([env, http, first]() -> Result<AwsCredentials> {
      if (*first) {  // the probe's answer serves the first call
        AwsCredentials c = std::move(**first);
        first->reset();
        return c;
      }
      auto again = imds_credentials(env, *http);
      if (!again) return again.error();
      if (!*again)
        return make_error(ErrorCode::unauthorized,
                          "aws credentials: EC2 instance metadata stopped answering");
      return **again;
    });
  }

  Fetcher web_identity(const AwsProfile& profile, const std::string& role_arn,
                       const std::string& session, const std::string& token_file) {
    auto sts = resolve_sts(m_env, profile, m_region, m_http);
    AssumeRoleParams params{role_arn, session, "", 0};
    return [sts, params, token_file]() -> Result<AwsCredentials> {
      if (!sts) return sts.error();
      const std::string what = "aws credentials: web identity for " + params.role_arn;
      auto token = read_token_file(token_file, what);  // re-read: EKS rotates it
      if (!token) return token.error();
      auto creds = sts_assume_role_with_web_identity(*sts, params, *token);
      if (creds) creds->source = "web identity " + params.role_arn;
      return creds;
    };
  }

  // Step 2 for one profile: role_arn with its source. nullopt when the profile has no role_arn.
  Result<std::optional<Fetcher>> role_fetcher(const AwsProfile& profile,
                                              std::set<std::string>& visiting) {
    const std::string role_arn = profile.config_value("role_arn");
    if (role_arn.empty()) return std::optional<Fetcher>();
    const std::string where = "aws credentials: profile '" + profile.name + "'";
    std::string session = profile.config_value("role_session_name");
    if (session.empty()) session = m_options.role_session_name;
    if (const auto token_file = profile.config_value("web_identity_token_file");
        !token_file.empty())
      return std::optional<Fetcher>(web_identity(profile, role_arn, session, token_file));

    visiting.insert(profile.name);
    std::optional<Fetcher> source;
    const std::string source_profile = profile.config_value("source_profile");
    const std::string credential_source = profile.config_value("credential_source");
    if (!source_profile.empty() && !credential_source.empty())
      return make_error(ErrorCode::invalid_input,
                        where + ": has both source_profile and credential_source; fix: keep one");
    if (!source_profile.empty()) {
      const AwsProfile src = find_profile(m_files, source_profile);
      if (!src.exists)
        return make_error(ErrorCode::invalid_input,
                          where + ": source_profile '" + source_profile + "' does not exist");
      Result<std::optional<Fetcher>> found = std::optional<Fetcher>();
      if (visiting.count(source_profile) == 0) {
        found = role_fetcher(src, visiting);
        if (found && !*found) found = plain_profile_fetcher(src);
      } else {
        // A profile that names itself (or a loop back to it) uses its own static keys.
        auto keys = section_credentials(src.credentials, "profile '" + src.name + "'");
        if (keys && !*keys) keys = section_credentials(src.config, "profile '" + src.name + "'");
        if (!keys) return keys.error();
        if (*keys) found = std::optional<Fetcher>(fixed(**keys));
      }
      if (!found) return found.error();
      if (!*found)
        return make_error(ErrorCode::unauthorized,
                          where + ": source_profile '" + source_profile + "' has no credentials");
      source = std::move(*found);
    } else if (credential_source == "Environment") {
      auto env = environment_credentials(m_env);
      if (!env) return env.error();
      if (!*env)
        return make_error(
            ErrorCode::unauthorized,
            where + ": credential_source Environment, but AWS_ACCESS_KEY_ID is not set");
      source = fixed(**env);
    } else if (credential_source == "Ec2InstanceMetadata") {
      auto imds = imds_fetcher(true);
      if (!imds) return imds.error();
      source = std::move(*imds);
    } else if (credential_source == "EcsContainer") {
      if (!container_credentials_configured(m_env))
        return make_error(ErrorCode::unauthorized,
                          where +
                              ": credential_source EcsContainer, but neither "
                              "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set");
      auto env = m_env;
      auto http = m_metadata_http;
      source = Fetcher([env, http] { return container_credentials(env, *http); });
    } else if (!credential_source.empty()) {
      return make_error(ErrorCode::invalid_input,
                        where + ": credential_source '" + credential_source +
                            "' is not one of Environment, Ec2InstanceMetadata, EcsContainer");
    } else {
      return make_error(ErrorCode::invalid_input,
                        where +
                            ": role_arn needs source_profile, credential_source or "
                            "web_identity_token_file; fix: add one");
    }
    auto source_provider = std::make_shared<RefreshingProvider>(std::move(*source), *m_env.clock);
    auto sts = resolve_sts(m_env, profile, m_region, m_http);
    if (!sts) return sts.error();
    AssumeRoleParams params{role_arn, session, profile.config_value("external_id"), 0};
    if (const auto d = profile.config_value("duration_seconds"); !d.empty()) {
      try {
        params.duration_seconds = std::stoi(d);
      } catch (...) {
        return make_error(ErrorCode::invalid_input, where + ": duration_seconds is not a number");
      }
    }
    if (!profile.config_value("mfa_serial").empty())
      return make_error(ErrorCode::invalid_input,
                        where +
                            ": mfa_serial needs an interactive prompt, which regsweep does not "
                            "do; fix: use credential_process with 'aws configure "
                            "export-credentials --profile " +
                            profile.name + " --format process'");
    return std::optional<Fetcher>(
        [source_provider, sts = *sts, params]() -> Result<AwsCredentials> {
          auto src = source_provider->credentials();
          if (!src) return src.error();
          return sts_assume_role(sts, *src, params);
        });
  }

  // Step 4 for one profile. nullopt when it has no credentials of these kinds.
  Result<std::optional<Fetcher>> plain_profile_fetcher(const AwsProfile& profile) {
    const std::string source = "profile '" + profile.name + "'";
    auto sso = find_sso_profile(m_files, profile);
    if (!sso) return sso.error();
    if (*sso) {
      // The endpoint settings are the selected profile's, as for every other service.
      const AwsProfile portal =
          find_profile(m_files, selected_profile_name(m_options.profile, m_env));
      auto env = m_env;
      auto http = m_http;
      return std::optional<Fetcher>([sso = **sso, env, portal, http] {
        return sso_role_credentials(sso, env, portal, *http);
      });
    }
    if (!profile.config_value("login_session").empty())
      return make_error(ErrorCode::unauthorized,
                        "aws credentials: " + source +
                            ": console sign-in profiles (login_session) are not read directly; "
                            "fix: add a profile with credential_process = aws configure "
                            "export-credentials --profile " +
                            profile.name + " --format process, and use that one");
    auto keys =
        section_credentials(profile.credentials, source + " in " + m_files.credentials_path);
    if (!keys) return keys.error();
    if (*keys) return std::optional<Fetcher>(fixed(**keys));
    if (const auto command = profile.config_value("credential_process"); !command.empty()) {
      return std::optional<Fetcher>(
          [command, source] { return process_credentials(command, source); });
    }
    keys = section_credentials(profile.config, source + " in " + m_files.config_path);
    if (!keys) return keys.error();
    if (*keys) return std::optional<Fetcher>(fixed(**keys));
    return std::optional<Fetcher>();
  }

  const CredentialOptions& m_options;
  AwsEnvironment m_env;
  std::shared_ptr<HttpClient> m_http;
  std::shared_ptr<HttpClient> m_metadata_http;
  AwsConfigFiles m_files;
  std::string m_region;
  std::vector<std::string> m_tried;
};

}  // namespace

AwsEnvironment AwsEnvironment::from_process() {
  AwsEnvironment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env.variables.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  if (auto it = env.variables.find("HOME"); it != env.variables.end()) env.home = it->second;
  env.clock = &system_clock();
  return env;
}

std::shared_ptr<CredentialsProvider> make_static_credentials_provider(AwsCredentials credentials) {
  return std::make_shared<StaticProvider>(std::move(credentials));
}

Result<std::shared_ptr<CredentialsProvider>> make_default_credentials_chain(
    const CredentialOptions& options, const AwsEnvironment& env, std::shared_ptr<HttpClient> http) {
  if (!http) http = make_curl_client({});
  return ChainBuilder(options, env, std::move(http)).build();
}

}  // namespace regsweep
