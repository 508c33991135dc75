// Inventory -> snapshot JSON, the format snapshot_reader.hpp reads (docs/snapshot-format.md), so
// that `regsweep snapshot -o FILE` can record a registry once and `plan` can be run on it offline.
// Timestamps are written as ISO 8601 strings (UTC, milliseconds when non-zero), one imageDetail per
// line so that two snapshots diff well. Writing then reading gives back the same Inventory (skipped
// repositories are not part of a snapshot: a snapshot only holds complete listings).
#pragma once

#include <string>

#include "model/image.hpp"
#include "util/json_writer.hpp"
#include "util/result.hpp"

namespace regsweep {

void write_snapshot(const Inventory& inventory, JsonWriter& out);

std::string snapshot_to_json(const Inventory& inventory);

// Writes to `path` through a temporary file renamed into place ("-" writes standard output).
Status save_snapshot(const Inventory& inventory, const std::string& path);

}  // namespace regsweep
