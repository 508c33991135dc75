// Feeds arbitrary bytes to each Lambda answer parser (ListFunctions, ListVersionsByFunction,
// ListAliases, GetFunction). Beyond "no crash, no sanitizer report": a listing that parses names
// no empty function or version.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "inuse/source.hpp"

namespace {

void check(const regsweep::Result<regsweep::LambdaPage>& page) {
  if (!page.ok()) return;
  for (const auto& item : page->items)
    if (item.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(regsweep::parse_lambda_functions(text));
  check(regsweep::parse_lambda_versions(text));
  check(regsweep::parse_lambda_aliases(text));
  (void)regsweep::parse_lambda_function_code(text);
  return 0;
}
