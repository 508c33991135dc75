// Opaque nextToken values. A token remembers where the next page starts (the first key not yet
// returned plus, for ListImages, which of that image's tag rows) and which listing and filter it
// belongs to, so it is distinct on every page (the AWS CLI aborts on a repeated token) and a token
// from another call or filter is rejected with InvalidParameterException, as ECR does.
#pragma once

#include <cstddef>
#include <string>

#include "api.hpp"

namespace ecr_emulator {

struct PageCursor {
  std::string key;        // first digest / repository name of the next page
  std::size_t index = 0;  // ListImages: first tag row of that image
};

std::string encode_token(const std::string& listing, const std::string& filter,
                         const PageCursor& cursor);
// Throws InvalidParameterException when the token is malformed or from another listing/filter.
PageCursor decode_token(const std::string& token, const std::string& listing,
                        const std::string& filter);

}  // namespace ecr_emulator
