// UTF-8 validity, as RFC 3629 defines it: no overlong forms, no surrogates, nothing above
// U+10FFFF. Every text input is checked (util/input_file, util/json_tree), because ECR refuses
// anything else and JSON written from invalid text cannot be read back.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace regsweep {

// The length (1-4) of the valid UTF-8 sequence `text` starts with; 0 when it does not start with
// one (or is empty).
std::size_t utf8_sequence_length(std::string_view text);

// The byte offset of the first byte that is not part of valid UTF-8; nullopt when all is valid.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

}  // namespace regsweep
