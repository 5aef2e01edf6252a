// Field limit checks shared by every service adapter.
#include "services/common/field_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace riskledger {
namespace {

// Number of code points, or -1 when `value` is not valid UTF-8.
int64_t Utf8Length(absl::string_view value) {
  int64_t count = 0;
  size_t i = 0;
  while (i < value.size()) {
    auto lead = static_cast<unsigned char>(value[i]);
    size_t width = lead < 0x80           ? 1
                   : (lead >> 5) == 0x6  ? 2
                   : (lead >> 4) == 0xe  ? 3
                   : (lead >> 3) == 0x1e ? 4
                                         : 0;
    if (width == 0 || i + width > value.size()) return -1;
    for (size_t k = 1; k < width; ++k) {
      if ((static_cast<unsigned char>(value[i + k]) >> 6) != 0x2) return -1;
    }
    i += width;
    ++count;
  }
  return count;
}

}  // namespace

void CheckLength(FieldViolationCollector& violations, absl::string_view field,
                 absl::string_view value, size_t max_length) {
  int64_t length = Utf8Length(value);
  if (length < 0) {
    violations.Add(field, "is not valid UTF-8");
  } else if (static_cast<size_t>(length) > max_length) {
    violations.Add(field,
                   absl::StrCat("is ", length, " characters long; at most ",
                                max_length, " are allowed"));
  }
}

void CheckRequiredText(FieldViolationCollector& violations,
                       absl::string_view field, absl::string_view value,
                       size_t max_length) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    violations.Add(field, "is required");
    return;
  }
  CheckLength(violations, field, value, max_length);
}

void CheckCount(FieldViolationCollector& violations, absl::string_view field,
                int count) {
  if (count > kMaxRepeated) {
    violations.Add(field, absl::StrCat("has ", count, " entries; at most ",
                                       kMaxRepeated, " are allowed"));
  }
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
