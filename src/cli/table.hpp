// Aligned tables for people: a header row, then rows, every column padded to its widest cell
// (counted in UTF-8 characters), two spaces between columns, numbers right-aligned. The last
// column is not padded (it is usually free text: a reason). Cells are made printable.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace regsweep::cli {

enum class Align { left, right };

struct TableColumn {
  std::string title;
  Align align = Align::left;
};

class Table {
 public:
  explicit Table(std::vector<TableColumn> columns) : m_columns(std::move(columns)) {}

  void add(std::vector<std::string> row);
  std::size_t rows() const { return m_rows.size(); }

  // The header and every row, each line starting with `indent`; nothing when there are no rows.
  std::string render(const std::string& indent = "") const;

 private:
  std::vector<TableColumn> m_columns;
  std::vector<std::vector<std::string>> m_rows;
};

// "  ... and 1,234 more (--max-rows 0 lists all)\n" when `shown` < `total`, else empty.
std::string more_rows_line(std::size_t shown, std::size_t total, const std::string& indent = "  ");

}  // namespace regsweep::cli
