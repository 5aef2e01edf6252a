// riskctl's output: tables for people, CSV and JSON for scripts.
#ifndef RISKLEDGER_CLIENTS_CLI_OUTPUT_H_
#define RISKLEDGER_CLIENTS_CLI_OUTPUT_H_

#include <string>
#include <vector>

#include "clients/cli/config.h"
#include "google/protobuf/message.h"

namespace riskledger::cli {

struct Column {
  std::string header;
  std::string path;  // field path in the row's message
  // Blank rather than 0 when the field is unset (an unanalysed risk's level).
  bool blank_if_zero = false;
};

// Rows of a list: an aligned table (cells cut at 60 characters) or CSV with
// a header line (RFC 4180 quoting).
std::string RenderRows(const std::vector<const google::protobuf::Message*>& rows,
                       const std::vector<Column>& columns, OutputFormat format);

// One resource: "header  value" lines, or CSV of one row.
std::string RenderRecord(const google::protobuf::Message& message,
                         const std::vector<Column>& columns, OutputFormat format);

// The message as JSON (proto3 JSON mapping, field names as in the .proto).
std::string RenderJson(const google::protobuf::Message& message);

// A CSV cell, quoted when it must be.
std::string CsvCell(const std::string& text);

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_OUTPUT_H_
