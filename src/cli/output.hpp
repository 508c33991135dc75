// Output conventions shared by every command that prints results (docs/output.md):
//   --output table|json|text   table (for people) is the default everywhere; REGSWEEP_OUTPUT
//                              changes the default; the flag wins over it. No format ever depends
//                              on whether stdout is a terminal.
//   --max-rows N               table rows listed per list (0: all); JSON and text are complete.
// text is the AWS CLI's: one record a line, fields separated by tabs (tabs and newlines inside a
// field escaped as \t and \n), no header, so `cut -f2` and `awk -F'\t'` work.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace CLI {
class App;
}

namespace regsweep::cli {

enum class OutputFormat { table, json, text };

std::string_view to_string(OutputFormat format);

// --output on `sub`; `value` stays empty unless the flag is given.
void add_output_option(CLI::App& sub, std::string& value);

// --max-rows on `sub`, 0 (all) by default.
void add_max_rows_option(CLI::App& sub, std::size_t& max_rows, std::string_view what);

// The flag's value, else REGSWEEP_OUTPUT, else table. A REGSWEEP_OUTPUT that is not a format is
// invalid_input naming the variable (the flag's own values are checked by CLI11).
Result<OutputFormat> resolve_output(const std::string& flag_value);
// As above with `env_value` as REGSWEEP_OUTPUT (tests).
Result<OutputFormat> resolve_output(const std::string& flag_value, const char* env_value);

// One text-format record: the fields joined by tabs, ended by a newline. Control characters are
// escaped (\t, \n, \r, \xNN) so a field never splits a record.
std::string text_record(std::initializer_list<std::string_view> fields);

}  // namespace regsweep::cli
