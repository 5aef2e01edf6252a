// CSV as spreadsheets write it (RFC 4180: quoted cells, "" for a quote,
// CRLF or LF line ends, a leading UTF-8 byte order mark ignored).
#ifndef RISKLEDGER_CLIENTS_CLI_CSV_H_
#define RISKLEDGER_CLIENTS_CLI_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace riskledger::cli {

struct CsvRecord {
  int line = 0;  // where the record starts, from 1
  std::vector<std::string> cells;
};

// The records of `text`; blank lines are skipped. An unterminated quote or
// a quote inside an unquoted cell is an error naming its line.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_CSV_H_
