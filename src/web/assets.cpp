#include "web/assets.hpp"

namespace regsweep::web {

const EmbeddedAsset* find_asset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const auto& asset : embedded_assets())
    if (asset.path == path) return &asset;
  return nullptr;
}

}  // namespace regsweep::web
