#include "clients/cli/csv.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace riskledger::cli {

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string cell;
  bool quoted = false;        // inside a quoted cell
  bool cell_started = false;  // the cell had a quote or a character
  bool after_quote = false;   // its closing quote was read
  int line = 1;
  record.line = 1;
  auto end_cell = [&] {
    record.cells.push_back(std::move(cell));
    cell.clear();
    cell_started = false;
    after_quote = false;
  };
  auto end_record = [&] {
    end_cell();
    const bool blank = record.cells.size() == 1 && record.cells[0].empty();
    if (!blank) records.push_back(std::move(record));
    record = CsvRecord{};
    record.line = line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        if (cell_started) {
          return absl::InvalidArgumentError(absl::StrCat(
              "line ", line, ": a quote inside an unquoted cell"));
        }
        quoted = true;
        cell_started = true;
        break;
      case ',':
        end_cell();
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') break;
        ++line;
        end_record();
        break;
      case '\n':
        ++line;
        end_record();
        break;
      default:
        if (after_quote) {
          return absl::InvalidArgumentError(absl::StrCat(
              "line ", line, ": text after a quoted cell"));
        }
        cell.push_back(c);
        cell_started = true;
    }
  }
  if (quoted) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", record.line, ": a quoted cell is not closed"));
  }
  end_record();
  return records;
}

}  // namespace riskledger::cli
