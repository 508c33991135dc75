// The file-reading sources: read the whole file ("-": standard input), then parse.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "inuse/source.hpp"

namespace regsweep {
namespace {

Result<std::string> read_all(const std::string& path) {
  if (path == "-")
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::invalid_input, path + ": cannot open (" + std::strerror(errno) +
                                                    "); check the path and permissions");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return make_error(ErrorCode::invalid_input,
                      path + ": cannot read (" + std::strerror(errno) + ")");
  return text.str();
}

class FileSource final : public InUseSource {
 public:
  using Parser = Result<InUseSet> (*)(std::string_view, const std::string&);
  FileSource(std::string path, Parser parser) : m_path(std::move(path)), m_parser(parser) {}

  Result<InUseSet> collect() override {
    auto text = read_all(m_path);
    if (!text) return text.error();
    return m_parser(*text, m_path == "-" ? "<stdin>" : m_path);
  }

 private:
  std::string m_path;
  Parser m_parser;
};

}  // namespace

std::unique_ptr<InUseSource> make_kubernetes_file_source(std::string path) {
  return std::make_unique<FileSource>(std::move(path), &parse_kubernetes_json);
}

std::unique_ptr<InUseSource> make_keep_file_source(std::string path) {
  return std::make_unique<FileSource>(std::move(path), &parse_keep_file);
}

}  // namespace regsweep
