#include "app/policy_file.hpp"

#include "policy/parse.hpp"
#include "util/input_file.hpp"

namespace regsweep {

Result<PolicyFile> load_policy_file(std::string_view what, const std::string& path) {
  auto text = read_input_file(what, path, k_policy_max_bytes);
  if (!text) return std::move(text).take_error();
  auto policy = parse_policy(*text, path == "-" ? "<stdin>" : path);
  if (!policy) return std::move(policy).take_error();
  return PolicyFile{std::move(text).value(), std::move(policy).value()};
}

}  // namespace regsweep
