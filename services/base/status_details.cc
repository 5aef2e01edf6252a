// Encodes field violations and rule names as absl::Status payloads.
#include "services/base/status_details.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace riskledger {
namespace {

// Payload type URLs; private to this file so the encoding can change freely.
constexpr char kFieldViolationsUrl[] = "type.riskledger/field_violations";
constexpr char kRuleUrl[] = "type.riskledger/rule";
// ASCII unit and record separators never appear in field paths.
constexpr char kUnitSeparator = '\x1f';
constexpr char kRecordSeparator = '\x1e';

}  // namespace

absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description) {
  return InvalidFieldsError({{std::string(field), std::string(description)}});
}

absl::Status InvalidFieldsError(const std::vector<FieldViolation>& violations) {
  std::string message = "invalid request: ";
  std::string payload;
  for (size_t i = 0; i < violations.size(); ++i) {
    const FieldViolation& v = violations[i];
    absl::StrAppend(&message, i == 0 ? "" : "; ", v.field, ": ", v.description);
    absl::StrAppend(&payload, v.field, std::string(1, kUnitSeparator),
                    v.description, std::string(1, kRecordSeparator));
  }
  absl::Status status(absl::StatusCode::kInvalidArgument, message);
  status.SetPayload(kFieldViolationsUrl, absl::Cord(payload));
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> violations;
  absl::optional<absl::Cord> payload = status.GetPayload(kFieldViolationsUrl);
  if (!payload.has_value()) return violations;
  for (absl::string_view record : absl::StrSplit(
           std::string(*payload), kRecordSeparator, absl::SkipEmpty())) {
    std::pair<std::string, std::string> parts =
        absl::StrSplit(record, absl::MaxSplits(kUnitSeparator, 1));
    violations.push_back({parts.first, parts.second});
  }
  return violations;
}

absl::Status RuleViolationError(absl::StatusCode code, absl::string_view rule,
                                absl::string_view message) {
  absl::Status status(code, absl::StrCat(message, " (", rule, ")"));
  status.SetPayload(kRuleUrl, absl::Cord(rule));
  return status;
}

std::string ViolatedRuleOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kRuleUrl);
  return payload.has_value() ? std::string(*payload) : std::string();
}

void FieldViolationCollector::Add(absl::string_view field,
                                  absl::string_view description) {
  violations_.push_back({std::string(field), std::string(description)});
}

void FieldViolationCollector::Merge(const absl::Status& status,
                                    absl::string_view field_if_none) {
  if (status.ok()) return;
  std::vector<FieldViolation> found = FieldViolationsOf(status);
  if (found.empty()) {
    Add(field_if_none, status.message());
    return;
  }
  violations_.insert(violations_.end(), found.begin(), found.end());
}

absl::Status FieldViolationCollector::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  return InvalidFieldsError(violations_);
}

}  // namespace riskledger
