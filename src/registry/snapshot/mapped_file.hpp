#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>

namespace regsweep {

// A snapshot file mapped read-only. Mapping instead of reading saves copying (and zeroing) a
// buffer as big as the file, often hundreds of megabytes. simdjson may read SIMDJSON_PADDING bytes
// past the end: the rest of the last page (zeros, as padded_string's padding) covers that, so files
// ending too close to a page boundary are read into a padded copy instead.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  // False when the file is better read (not a regular file, empty, or no room for the padding).
  bool map(const std::string& path);

  simdjson::padded_string_view view() const {
    return simdjson::padded_string_view(static_cast<const char*>(m_data), m_size, m_capacity);
  }

 private:
  void* m_data = nullptr;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
};

}  // namespace regsweep
