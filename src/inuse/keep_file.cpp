// Keep files and in-use command output -> InUseSet (contracts in source.hpp).
#include <nlohmann/json.hpp>

#include "inuse/source.hpp"

namespace regsweep {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

}  // namespace

Result<InUseSet> parse_keep_file(std::string_view text, const std::string& name) {
  InUseSet set;
  set.sources.push_back("keep-file " + name);
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (const auto hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    const std::string where = "keep-file " + name + ":" + std::to_string(line_number);
    if (line.find_first_of(" \t") != std::string_view::npos) {
      return make_error(ErrorCode::invalid_input,
                        where +
                            ": more than one word; write one image reference, tag or "
                            "digest per line ('#' starts a comment)");
    }
    if (auto status = set.add(std::string(line), where, /*allow_bare_tag=*/true); !status)
      return status.error();
  }
  return set;
}

Result<InUseSet> parse_in_use_command_output(std::string_view text, const std::string& command) {
  const std::string where = "in-use command '" + command + "'";
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    return make_error(ErrorCode::invalid_input, where + ": output is not JSON (" + e.what() +
                                                    "); it must print a JSON array of image URIs");
  }
  if (!document.is_array()) {
    return make_error(ErrorCode::invalid_input,
                      where + ": output is a JSON " + std::string(document.type_name()) +
                          ", not an array; it must print a JSON array of image URIs");
  }
  InUseSet set;
  set.sources.push_back(where);
  std::size_t index = 0;
  for (const auto& item : document) {
    if (!item.is_string()) {
      return make_error(ErrorCode::invalid_input, where + ": item " + std::to_string(index) +
                                                      " is a " + item.type_name() +
                                                      ", not a string image URI");
    }
    auto status = set.add(item.get<std::string>(), where + " item " + std::to_string(index));
    if (!status) return status.error();
    ++index;
  }
  return set;
}

}  // namespace regsweep
