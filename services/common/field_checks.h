// Checks of request fields against the documented limits of riskledger.v1.
#ifndef RISKLEDGER_SERVICES_COMMON_FIELD_CHECKS_H_
#define RISKLEDGER_SERVICES_COMMON_FIELD_CHECKS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"
#include "services/base/status_details.h"

namespace riskledger {

// Documented limits (see the proto file comments).
inline constexpr size_t kMaxShortText = 200;
inline constexpr size_t kMaxLongText = 4000;
inline constexpr int kMaxRepeated = 100;
inline constexpr size_t kMaxRequestId = 128;

// Records a violation when `value` is longer than `max_length` characters
// (UTF-8 code points), is not valid UTF-8, or holds a control character
// (texts of at most kMaxShortText characters are single-line and allow none;
// longer texts allow tab, line feed and carriage return only), and for short
// texts an invisible character (IsInvisibleCodePoint: zero-width space,
// direction marks, BOM, line separators, noncharacters, bidi controls);
// long texts refuse bidi controls.
void CheckLength(FieldViolationCollector& violations, absl::string_view field,
                 absl::string_view value, size_t max_length);

// Like CheckLength, and records "is required" when `value` shows nothing:
// empty, or only whitespace (Unicode White_Space, e.g. U+00A0, U+3000),
// invisible characters and control characters.
void CheckRequiredText(FieldViolationCollector& violations,
                       absl::string_view field, absl::string_view value,
                       size_t max_length);

// Records a violation when a repeated field has more than kMaxRepeated
// entries. Returns how many of its entries to check one by one: all of them,
// or none when there are too many (the count alone is reported).
int EntriesToCheck(FieldViolationCollector& violations, absl::string_view field,
                   int count);

// Checks a proto3 enum value: known to the enum (`is_valid`), and not the
// _UNSPECIFIED zero when `required`.
void CheckEnum(FieldViolationCollector& violations, absl::string_view field,
               int value, bool (*is_valid)(int), bool required);

// Checks an optional request_id (AIP-155): printable ASCII, at most
// kMaxRequestId characters.
void CheckRequestId(FieldViolationCollector& violations,
                    absl::string_view request_id);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_FIELD_CHECKS_H_
