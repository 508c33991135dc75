// Reading what the user hands us: policies, keep lists, in-use files, Kubernetes JSON, configs,
// saved plans, journals. Every input is read completely or not at all, so a protection is never
// applied from a partial or empty read (a stream read of a directory reads nothing and reports
// nothing; /dev/zero never ends; a FIFO with no writer blocks forever).
//
//   read_input_file("--policy", path, k_policy_max_bytes)   -> the whole text, or why not
//   read_input_files("--keep-file", path, max)               -> a file, or a directory's files
//
// Refused, each with a message naming the flag, the path, the problem and the fix (invalid_input):
// a path that does not exist or cannot be opened or read; a directory (read_input_file); a device,
// FIFO or socket ("-" reads standard input instead); more than `max_bytes`; text that is not
// UTF-8 (with its line and column). Symlinks are followed (a ConfigMap's keys are symlinks).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace regsweep {

constexpr std::size_t k_mebibyte = std::size_t{1} << 20;
// Caps by kind of input: far above any real one, far below what would exhaust memory.
constexpr std::size_t k_policy_max_bytes = 1 * k_mebibyte;  // ECR allows 30,720 characters
constexpr std::size_t k_config_max_bytes = 16 * k_mebibyte;
constexpr std::size_t k_list_max_bytes = 1024 * k_mebibyte;  // in-use, Kubernetes JSON, plans
// Snapshots are usually mapped (any size); this caps those read into memory (stdin).
constexpr std::size_t k_snapshot_max_bytes = 8192 * k_mebibyte;

struct InputFile {
  std::string path;  // as given, or "<stdin>"
  std::string text;
};

// `what` names the input in messages ("--policy", "settings.journal"; empty: the path alone, for
// layers below the CLI, whose caller names the flag). "-" reads standard input.
Result<std::string> read_input_file(std::string_view what, const std::string& path,
                                    std::size_t max_bytes);

// Like read_input_file, but the bytes are not checked as UTF-8: for a reader that checks each part
// itself and keeps the rest (the journal, whose torn last line may end in the middle of a
// character: that line is reported, the records around it stay readable).
Result<std::string> read_input_bytes(std::string_view what, const std::string& path,
                                     std::size_t max_bytes);

// Like read_input_file, but a directory is read as its files, in name order: every entry whose
// name does not start with '.' (a mounted ConfigMap's keys; its "..data" links are skipped),
// each a regular file or a link to one. A directory with no such file, or with a subdirectory or
// anything else among them, is refused: nothing is read silently as empty.
Result<std::vector<InputFile>> read_input_files(std::string_view what, const std::string& path,
                                                std::size_t max_bytes);

// "line 3, column 7": where byte `offset` of `text` is, for messages (1-based; columns in bytes).
std::string describe_position(std::string_view text, std::size_t offset);

}  // namespace regsweep
