#include "clients/cli/output.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/field_text.h"
#include "google/protobuf/util/json_util.h"

namespace riskledger::cli {
namespace {

constexpr size_t kMaxCell = 60;

// Characters, not bytes, of UTF-8 text.
size_t Width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// The text cut to `width` characters, "…" marking the cut; newlines shown as
// spaces so that a row stays one line.
std::string Cell(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  std::replace(text.begin(), text.end(), '\t', ' ');
  if (Width(text) <= kMaxCell) return text;
  size_t chars = 0;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 &&
        ++chars == kMaxCell) {
      break;
    }
  }
  return text.substr(0, i) + "…";
}

std::string Pad(const std::string& text, size_t width) {
  return text + std::string(width - std::min(width, Width(text)), ' ');
}

std::string Table(const std::vector<std::vector<std::string>>& lines) {
  std::vector<size_t> widths(lines.front().size(), 0);
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) {
      widths[i] = std::max(widths[i], Width(line[i]));
    }
  }
  std::string out;
  for (const auto& line : lines) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) {
      absl::StrAppend(&text, i == 0 ? "" : "  ",
                      i + 1 == line.size() ? line[i] : Pad(line[i], widths[i]));
    }
    absl::StrAppend(&out, text, "\n");
  }
  return out;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::vector<std::string> quoted;
  quoted.reserve(cells.size());
  for (const std::string& cell : cells) quoted.push_back(CsvCell(cell));
  return absl::StrCat(absl::StrJoin(quoted, ","), "\r\n");
}

std::string CellText(const google::protobuf::Message& message, const Column& column) {
  std::string text = FieldText(message, column.path);
  return column.blank_if_zero && text == "0" ? "" : text;
}

}  // namespace

std::string CsvCell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

std::string RenderRows(const std::vector<const google::protobuf::Message*>& rows,
                       const std::vector<Column>& columns, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    std::vector<std::string> items;
    items.reserve(rows.size());
    for (const auto* row : rows) items.push_back(RenderJson(*row));
    return absl::StrCat("[", absl::StrJoin(items, ",\n"), "]\n");
  }
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> header;
  header.reserve(columns.size());
  for (const Column& column : columns) header.push_back(column.header);
  lines.push_back(header);
  for (const auto* row : rows) {
    std::vector<std::string> line;
    for (const Column& column : columns) {
      std::string text = CellText(*row, column);
      line.push_back(format == OutputFormat::kCsv ? text : Cell(text));
    }
    lines.push_back(std::move(line));
  }
  if (format == OutputFormat::kCsv) {
    std::string out;
    for (const auto& line : lines) absl::StrAppend(&out, CsvLine(line));
    return out;
  }
  return Table(lines);
}

std::string RenderRecord(const google::protobuf::Message& message,
                         const std::vector<Column>& columns, OutputFormat format) {
  if (format != OutputFormat::kTable) {
    return RenderRows({&message}, columns, format);
  }
  std::vector<std::vector<std::string>> lines;
  for (const Column& column : columns) {
    std::string text = CellText(message, column);
    if (!text.empty()) lines.push_back({column.header, text});
  }
  return lines.empty() ? "" : Table(lines);
}

std::string RenderJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  while (!json.empty() && json.back() == '\n') json.pop_back();
  return json;
}

}  // namespace riskledger::cli
