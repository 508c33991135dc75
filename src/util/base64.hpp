// Base64 (RFC 4648, standard alphabet, with padding), for kubeconfig certificate data and the
// cluster information handed to Kubernetes exec plugins.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace regsweep {

std::string base64_encode(std::string_view data);

// Spaces, line breaks and '=' padding are skipped (kubeconfigs wrap long values); any other
// character outside the alphabet makes it nullopt.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace regsweep
