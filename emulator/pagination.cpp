// nextToken encoding (pagination.hpp): base64 of "v1\n<listing>\n<filter>\n<index>\n<key>".
#include "pagination.hpp"

#include <charconv>

#include "crypto.hpp"

namespace ecr_emulator {

std::string encode_token(const std::string& listing, const std::string& filter,
                         const PageCursor& cursor) {
  return base64_encode("v1\n" + listing + "\n" + filter + "\n" + std::to_string(cursor.index) +
                       "\n" + cursor.key);
}

PageCursor decode_token(const std::string& token, const std::string& listing,
                        const std::string& filter) {
  auto invalid = [] { throw_invalid_parameter("nextToken", "Invalid pagination token"); };
  auto raw = base64_decode(token);
  if (!raw) invalid();
  std::string expected = "v1\n" + listing + "\n" + filter + "\n";
  if (!raw->starts_with(expected)) invalid();
  std::size_t start = expected.size();
  std::size_t newline = raw->find('\n', start);
  if (newline == std::string::npos) invalid();
  PageCursor cursor;
  auto [end, ec] = std::from_chars(raw->data() + start, raw->data() + newline, cursor.index);
  if (ec != std::errc() || end != raw->data() + newline) invalid();
  cursor.key = raw->substr(newline + 1);
  return cursor;
}

}  // namespace ecr_emulator
