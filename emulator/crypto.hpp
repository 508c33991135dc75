// Hashing and encoding the emulator needs: manifest digests, SigV4 HMACs, base64 for tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ecr_emulator {

std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string hex(std::string_view bytes);
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);  // nullopt when malformed
// Compares without an early exit, so timing does not reveal how much of a signature matched.
bool constant_time_equal(std::string_view a, std::string_view b);
std::string random_uuid();

}  // namespace ecr_emulator
