// credential_process (docs/research/ecr-api.md §7.3): run without a shell, JSON on stdout, stderr
// passed through. Run by run_process (util/subprocess.hpp): stdin from /dev/null, no time limit
// (the SDKs set none), at most 1 MiB of output.
#include <nlohmann/json.hpp>

#include "aws/credential_sources.hpp"
#include "util/subprocess.hpp"

namespace regsweep {

Result<std::vector<std::string>> split_command(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else
        word += c;
    } else if (quote == '"') {
      if (c == '"')
        quote = 0;
      else if (c == '\\' && i + 1 < command.size() &&
               std::string_view("\"\\$`").find(command[i + 1]) != std::string_view::npos)
        word += command[++i];
      else
        word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < command.size()) {
      word += command[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0)
    return make_error(ErrorCode::invalid_input,
                      "credential_process: unbalanced quote; fix: check the quoting");
  if (in_word) words.push_back(std::move(word));
  if (words.empty())
    return make_error(ErrorCode::invalid_input, "credential_process: empty command");
  return words;
}

Result<AwsCredentials> process_credentials(const std::string& command, const std::string& source) {
  const std::string what = "aws credentials: " + source + ": credential_process";
  auto words = split_command(command);
  if (!words) return make_error(ErrorCode::invalid_input, what + ": " + words.error().message);
  ProcessOptions options;
  options.argv = std::move(*words);
  options.timeout = std::chrono::milliseconds(0);
  options.max_output = std::size_t{1} << 20;
  auto outcome = run_process(options);
  if (!outcome) {
    return make_error(ErrorCode::unauthorized, what + ": cannot run '" + options.argv[0] +
                                                   "'; fix: check the command and PATH");
  }
  if (!outcome->succeeded())
    return make_error(
        ErrorCode::unauthorized,
        what + ": '" + options.argv[0] + "' failed (exit status " +
            std::to_string(outcome->end == ProcessEnd::exited ? outcome->exit_status : -1) +
            "); fix: run it by hand to see its error");
  const std::string& output = outcome->output;
  // The output holds the secret: describe problems, never quote it.
  const auto j = nlohmann::json::parse(output, nullptr, false);
  if (!j.is_object())
    return make_error(ErrorCode::unauthorized, what + ": the output is not a JSON object");
  auto version = j.find("Version");
  if (version == j.end() || !version->is_number_integer() || version->get<int>() != 1)
    return make_error(ErrorCode::unauthorized, what + ": the output's Version must be 1");
  auto get = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  AwsCredentials creds;
  creds.access_key_id = get("AccessKeyId");
  creds.secret_access_key = Secret(get("SecretAccessKey"));
  creds.session_token = Secret(get("SessionToken"));
  if (creds.access_key_id.empty() || creds.secret_access_key.empty())
    return make_error(ErrorCode::unauthorized,
                      what + ": the output lacks AccessKeyId or SecretAccessKey");
  if (const std::string exp = get("Expiration"); !exp.empty()) {
    creds.expiration = parse_timestamp(exp);
    if (!creds.expiration)
      return make_error(ErrorCode::unauthorized, what + ": Expiration is not an ISO 8601 time");
  }
  if (auto checked = check_credential_characters(creds, what + " output",
                                                 {"AccessKeyId", "SecretAccessKey", "SessionToken"},
                                                 ErrorCode::unauthorized);
      !checked)
    return checked.error();
  creds.source = source + " (credential_process)";
  return creds;
}

}  // namespace regsweep
