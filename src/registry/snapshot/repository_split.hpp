// Where the repositories of a big snapshot begin and end, found without parsing it, so that they
// can be parsed on several threads at once (snapshot_reader.cpp).
//
// Works on the shape regsweep and the bench write, `{"repositories": [{"repositoryName": ...},
// ...]}` (whitespace anywhere between tokens), where every repository's first key is
// "repositoryName". It looks for `{ "repositoryName"` preceded by `[` or `,`: in valid JSON that
// text can only be the start of an object (a `{` inside a string is followed by the `"` that ends
// the string, never by a key), but it may be an object nested inside a repository. The caller
// must therefore parse every range as exactly one complete object: a range cut at a nested object
// is left with an unclosed `{` and fails, and the caller then falls back to a full structural scan.
// Given that, the ranges, the separators checked here (`,` between ranges) and the checked prefix
// and suffix together make up the whole document.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace regsweep {

struct ByteRange {
  std::size_t offset = 0;
  std::size_t length = 0;
};

// The candidate ranges of the "repositories" elements, in file order; nullopt when the document is
// not of the shape above (another first key, keys after the array, an empty array, a repository
// whose first key is not "repositoryName"): the caller then finds the ranges by parsing.
// `threads` (1 or more) share the search.
std::optional<std::vector<ByteRange>> split_repositories(std::string_view json, int threads);

}  // namespace regsweep
