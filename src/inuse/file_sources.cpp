// The file-reading sources: read the whole input (util/input_file), then parse.
#include "inuse/in_use.hpp"
#include "inuse/source.hpp"
#include "util/input_file.hpp"

namespace regsweep {
namespace {

class FileSource final : public InUseSource {
 public:
  FileSource(std::string what, std::string path, InUseParser parser)
      : m_what(std::move(what)), m_path(std::move(path)), m_parser(parser) {}

  Result<InUseSet> collect() override { return read_in_use_files(m_what, m_path, m_parser); }

 private:
  std::string m_what;
  std::string m_path;
  InUseParser m_parser;
};

}  // namespace

Result<InUseSet> read_in_use_files(std::string_view what, const std::string& path,
                                   InUseParser parse) {
  auto files = read_input_files(what, path, k_list_max_bytes);
  if (!files) return std::move(files).take_error();
  InUseSet merged;
  for (const auto& file : *files) {
    auto set = parse(file.text, file.path);
    if (!set) return std::move(set).take_error();
    merge_in_use(merged, *set);
  }
  return merged;
}

std::unique_ptr<InUseSource> make_kubernetes_file_source(std::string path) {
  return std::make_unique<FileSource>("--kubernetes-json", std::move(path), &parse_kubernetes_json);
}

std::unique_ptr<InUseSource> make_keep_file_source(std::string path) {
  return std::make_unique<FileSource>("--keep-file", std::move(path), &parse_keep_file);
}

}  // namespace regsweep
