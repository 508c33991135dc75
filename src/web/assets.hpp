// The page's files (src/web/static/), embedded into the binary at build time by
// cmake/embed_assets.cmake, so that `regsweep` stays one file and the UI needs no network (no CDN).
#pragma once

#include <span>
#include <string_view>

namespace regsweep::web {

struct EmbeddedAsset {
  std::string_view path;  // "/index.html", "/js/main.js"
  std::string_view content_type;
  std::string_view body;
};

// Defined in the generated file.
std::span<const EmbeddedAsset> embedded_assets();

// "/" is "/index.html"; null when there is no such file.
const EmbeddedAsset* find_asset(std::string_view path);

}  // namespace regsweep::web
