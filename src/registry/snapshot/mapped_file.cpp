#include "registry/snapshot/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace regsweep {

MappedFile::~MappedFile() {
  if (m_data != nullptr) ::munmap(m_data, m_capacity);
}

bool MappedFile::map(const std::string& path) {
  // O_NONBLOCK: a FIFO must not block here; anything but a regular file is read (and refused) by
  // the caller.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st {};
  const long page = ::sysconf(_SC_PAGESIZE);
  bool mapped = false;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && page > 0) {
    const auto size = static_cast<std::size_t>(st.st_size);
    const auto page_size = static_cast<std::size_t>(page);
    const std::size_t capacity = (size + page_size - 1) / page_size * page_size;
    if (capacity - size >= simdjson::SIMDJSON_PADDING) {
      void* data = ::mmap(nullptr, capacity, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (data != MAP_FAILED) {
        ::madvise(data, capacity, MADV_SEQUENTIAL);
        m_data = data;
        m_size = size;
        m_capacity = capacity;
        mapped = true;
      }
    }
  }
  ::close(fd);
  return mapped;
}

}  // namespace regsweep
