#include "cli/table.hpp"

#include <algorithm>

#include "util/printable.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

// Display width: UTF-8 continuation bytes take no column.
std::size_t width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

void Table::add(std::vector<std::string> row) {
  row.resize(m_columns.size());
  for (auto& cell : row) cell = printable(cell);
  m_rows.push_back(std::move(row));
}

std::string Table::render(const std::string& indent) const {
  if (m_rows.empty()) return {};
  std::vector<std::size_t> widths(m_columns.size());
  for (std::size_t c = 0; c < m_columns.size(); ++c) {
    widths[c] = width(m_columns[c].title);
    for (const auto& row : m_rows) widths[c] = std::max(widths[c], width(row[c]));
  }
  std::string out;
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string text = indent;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const bool last = c + 1 == cells.size();
      const std::size_t pad = widths[c] - width(cells[c]);
      if (c != 0) text += "  ";
      if (m_columns[c].align == Align::right) text.append(pad, ' ');
      text += cells[c];
      if (m_columns[c].align == Align::left && !last) text.append(pad, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + '\n';
  };
  std::vector<std::string> header;
  for (const auto& column : m_columns) header.push_back(column.title);
  line(header);
  for (const auto& row : m_rows) line(row);
  return out;
}

std::string more_rows_line(std::size_t shown, std::size_t total, const std::string& indent) {
  if (shown >= total) return {};
  return indent + "... and " + thousands(total - shown) +
         " more (--max-rows 0 lists all; --output json or text lists everything)\n";
}

}  // namespace regsweep::cli
