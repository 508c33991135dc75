// Glob matching with '*' (any run, possibly empty) and, when asked, '?' (one character). Anchored
// at both ends; every other character is literal. Used for ECR tagPatternList (where only '*' is
// special) and for --repository-name filters (where '?' is special too).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace regsweep {

enum class GlobSyntax { star_only, star_and_question };

bool glob_match(std::string_view pattern, std::string_view text,
                GlobSyntax syntax = GlobSyntax::star_only);

// Repository selection (--repository-name): true when `name` matches one of the globs ('*' and
// '?'), or when there are none.
bool repository_selected(const std::vector<std::string>& globs, std::string_view name);

}  // namespace regsweep
