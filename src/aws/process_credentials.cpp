// credential_process (ecr-api.md §7.3): run without a shell, JSON on stdout, stderr passed through.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "aws/credential_sources.hpp"

extern char** environ;

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
  std::vector<char*> argv;
  for (auto& w : *words) argv.push_back(w.data());
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return make_error(ErrorCode::internal, what + ": pipe() failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  pid_t pid = -1;
  const int spawn_error = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawn_error != 0) {
    ::close(pipe_fds[0]);
    return make_error(ErrorCode::unauthorized,
                      what + ": cannot run '" + (*words)[0] + "'; fix: check the command and PATH");
  }
  std::string output;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0)  // drain all, keep the first MiB
    if (output.size() < (1u << 20)) output.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return make_error(ErrorCode::unauthorized,
                      what + ": '" + (*words)[0] + "' failed (exit status " +
                          std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                          "); fix: run it by hand to see its error");
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
  creds.source = source + " (credential_process)";
  return creds;
}

}  // namespace regsweep
