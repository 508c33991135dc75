#include "cli/output.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "cli/number_flags.hpp"

namespace regsweep::cli {
namespace {

constexpr const char* k_formats_help =
    "table (the default; REGSWEEP_OUTPUT changes it), json (one document) or text (tab-separated, "
    "one record a line)";

}  // namespace

std::string_view to_string(OutputFormat format) {
  switch (format) {
    case OutputFormat::table:
      return "table";
    case OutputFormat::json:
      return "json";
    case OutputFormat::text:
      return "text";
  }
  return "table";
}

void add_output_option(CLI::App& sub, std::string& value) {
  sub.add_option("--output", value, k_formats_help)
      ->check(CLI::IsMember({"table", "json", "text"}));
}

void add_max_rows_option(CLI::App& sub, std::size_t& max_rows, std::string_view what) {
  sub.add_option("--max-rows", max_rows,
                 "Table: " + std::string(what) +
                     " listed (0: all; the default); json and text list everything")
      ->check(finite_at_least(0));
}

Result<OutputFormat> resolve_output(const std::string& flag_value, const char* env_value) {
  const std::string value = !flag_value.empty() ? flag_value : env_value ? env_value : "";
  if (value.empty() || value == "table") return OutputFormat::table;
  if (value == "json") return OutputFormat::json;
  if (value == "text") return OutputFormat::text;
  return make_error(ErrorCode::invalid_input,
                    "REGSWEEP_OUTPUT: '" + value +
                        "' is not an output format; fix: table, json or text, or unset it");
}

Result<OutputFormat> resolve_output(const std::string& flag_value) {
  return resolve_output(flag_value, std::getenv("REGSWEEP_OUTPUT"));
}

std::string text_record(std::initializer_list<std::string_view> fields) {
  std::string out;
  bool first = true;
  for (const std::string_view field : fields) {
    if (!first) out += '\t';
    first = false;
    for (const char c : field) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '\t') {
        out += "\\t";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\\') {
        out += "\\\\";
      } else if (byte < 0x20 || byte == 0x7f) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", byte);
        out += hex;
      } else {
        out += c;
      }
    }
  }
  out += '\n';
  return out;
}

}  // namespace regsweep::cli
