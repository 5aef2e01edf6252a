// A small tokenizer and parser for `field = value [AND field = value]...`.
#include "services/common/list_filter.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/base/status_details.h"

namespace riskledger {
namespace {

absl::Status FilterError(absl::string_view description) {
  return InvalidFieldError("filter", description);
}

// Splits into identifiers, "=", and string literals (quoted, with \" and \\).
absl::StatusOr<std::vector<std::pair<bool, std::string>>> Tokenize(
    absl::string_view filter) {
  std::vector<std::pair<bool, std::string>> tokens;  // (is_literal, text)
  size_t i = 0;
  while (i < filter.size()) {
    char c = filter[i];
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '=') {
      tokens.push_back({false, "="});
      ++i;
    } else if (c == '"') {
      std::string literal;
      ++i;
      bool closed = false;
      while (i < filter.size()) {
        char d = filter[i++];
        if (d == '\\' && i < filter.size()) {
          literal.push_back(filter[i++]);
        } else if (d == '"') {
          closed = true;
          break;
        } else {
          literal.push_back(d);
        }
      }
      if (!closed) return FilterError("has an unterminated string literal");
      tokens.push_back({true, literal});
    } else {
      size_t start = i;
      while (i < filter.size() &&
             !absl::ascii_isspace(static_cast<unsigned char>(filter[i])) &&
             filter[i] != '=' && filter[i] != '"') {
        ++i;
      }
      tokens.push_back({false, std::string(filter.substr(start, i - start))});
    }
  }
  return tokens;
}

}  // namespace

absl::StatusOr<EqualityFilter> ParseEqualityFilter(
    absl::string_view filter, const std::set<std::string>& allowed_fields) {
  if (filter.size() > kMaxFilterLength) {
    return FilterError(
        absl::StrCat("is longer than ", kMaxFilterLength, " bytes"));
  }
  for (char c : filter) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return FilterError("contains a control character");
    }
  }
  EqualityFilter result;
  absl::StatusOr<std::vector<std::pair<bool, std::string>>> tokens =
      Tokenize(filter);
  if (!tokens.ok()) return tokens.status();
  size_t i = 0;
  const auto& t = *tokens;
  while (i < t.size()) {
    if (i + 3 > t.size()) {
      return FilterError("expected `field = value`");
    }
    const auto& field = t[i];
    const auto& op = t[i + 1];
    const auto& value = t[i + 2];
    if (field.first || op.first || op.second != "=") {
      return FilterError(absl::StrCat("expected `field = value` near ",
                                      EchoInput(field.second)));
    }
    if (allowed_fields.count(field.second) == 0) {
      return FilterError(absl::StrCat("cannot filter on this field (allowed: ",
                                      absl::StrJoin(allowed_fields, ", "),
                                      "): ", EchoInput(field.second)));
    }
    if (!value.first && value.second == "=") {
      return FilterError(
          absl::StrCat("missing value for ", EchoInput(field.second)));
    }
    if (!result.emplace(field.second, value.second).second) {
      return FilterError(
          absl::StrCat("names a field twice: ", EchoInput(field.second)));
    }
    i += 3;
    if (i < t.size()) {
      if (t[i].first || t[i].second != "AND") {
        return FilterError(
            absl::StrCat("expected AND, found ", EchoInput(t[i].second)));
      }
      ++i;
      if (i >= t.size()) return FilterError("ends with AND");
    }
  }
  return result;
}

}  // namespace riskledger
