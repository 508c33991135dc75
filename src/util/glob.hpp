// Glob matching with '*' (any run, possibly empty) and, when asked, '?' (one character). Anchored
// at both ends; every other character is literal. Used for ECR tagPatternList (where only '*' is
// special) and for --repository-name filters (where '?' is special too).
#pragma once

#include <string_view>

namespace regsweep {

enum class GlobSyntax { star_only, star_and_question };

bool glob_match(std::string_view pattern, std::string_view text,
                GlobSyntax syntax = GlobSyntax::star_only);

}  // namespace regsweep
