// Field limit checks shared by every service adapter.
#include "services/common/field_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/base/utf8.h"

namespace riskledger {
namespace {

// Why `value` is not acceptable text of a field limited to `max_length`
// characters, or "" when it is. Short texts (up to kMaxShortText) are single
// line: no control and no invisible characters (IsInvisibleCodePoint);
// longer texts may hold tabs and line breaks, but no other control character
// (NUL, escape sequences, C1) and no bidi control.
std::string TextProblem(absl::string_view value, size_t max_length) {
  const bool single_line = max_length <= kMaxShortText;
  size_t length = 0;
  size_t pos = 0;
  while (pos < value.size()) {
    uint32_t code_point = 0;
    const size_t width = DecodeUtf8(value, pos, &code_point);
    if (width == 0) return "is not valid UTF-8";
    const bool layout =
        code_point == '\t' || code_point == '\n' || code_point == '\r';
    const bool refused =
        single_line
            ? IsControlCodePoint(code_point) || IsInvisibleCodePoint(code_point)
            : (IsControlCodePoint(code_point) && !layout) ||
                  IsBidiControlCodePoint(code_point);
    if (refused) {
      return absl::StrCat(
          "contains the ",
          IsControlCodePoint(code_point) ? "control" : "invisible",
          " character U+", absl::Hex(code_point, absl::kZeroPad4),
          single_line ? "; this field is a single line of visible text"
                      : "; only tabs and line breaks are allowed");
    }
    // A joiner or selector only modifies the character before it; at either
    // end of a text it changes nothing visible but the stored value.
    if (IsJoinerOrSelector(code_point) &&
        (pos == 0 || pos + width == value.size())) {
      return absl::StrCat("starts or ends with the invisible character U+",
                          absl::Hex(code_point, absl::kZeroPad4));
    }
    pos += width;
    ++length;
  }
  if (length > max_length) {
    return absl::StrCat("is ", length, " characters long; at most ", max_length,
                        " are allowed");
  }
  return "";
}

// Whether `value` shows nothing: empty, or only blank characters.
bool IsBlank(absl::string_view value) {
  for (size_t pos = 0; pos < value.size();) {
    uint32_t code_point = 0;
    const size_t width = DecodeUtf8(value, pos, &code_point);
    if (width == 0 || !IsBlankCodePoint(code_point)) return false;
    pos += width;
  }
  return true;
}

}  // namespace

void CheckLength(FieldViolationCollector& violations, absl::string_view field,
                 absl::string_view value, size_t max_length) {
  std::string problem = TextProblem(value, max_length);
  if (!problem.empty()) violations.Add(field, problem);
}

void CheckRequiredText(FieldViolationCollector& violations,
                       absl::string_view field, absl::string_view value,
                       size_t max_length) {
  if (IsBlank(value)) {
    violations.Add(field, "is required (and must show more than blanks)");
    return;
  }
  CheckLength(violations, field, value, max_length);
}

int EntriesToCheck(FieldViolationCollector& violations, absl::string_view field,
                   int count) {
  if (count <= kMaxRepeated) return count;
  violations.Add(field, absl::StrCat("has ", count, " entries; at most ",
                                     kMaxRepeated, " are allowed"));
  return 0;
}

void CheckEnum(FieldViolationCollector& violations, absl::string_view field,
               int value, bool (*is_valid)(int), bool required) {
  if (!is_valid(value)) {
    violations.Add(field, absl::StrCat("has unknown enum value ", value));
  } else if (required && value == 0) {
    violations.Add(field, "is required (must not be _UNSPECIFIED)");
  }
}

void CheckRequestId(FieldViolationCollector& violations,
                    absl::string_view request_id) {
  if (request_id.size() > kMaxRequestId) {
    violations.Add("request_id", absl::StrCat("is longer than ", kMaxRequestId,
                                              " characters"));
    return;
  }
  for (char c : request_id) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c))) {
      violations.Add("request_id", "must be printable ASCII without spaces");
      return;
    }
  }
}

}  // namespace riskledger
