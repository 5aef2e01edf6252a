// Encodes field violations and rule names as google.rpc payloads on
// absl::Status, within the documented size bounds.
#include "services/base/status_details.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/rpc/error_details.pb.h"
#include "services/base/utf8.h"

namespace riskledger {
namespace {

// The ErrorInfo domain and reason of a methodology rule violation.
constexpr char kErrorDomain[] = "riskledger.v1";
constexpr char kRuleReason[] = "METHODOLOGY_RULE";
constexpr char kEllipsis[] = "...";
// How many violations a status found but does not list (a decimal); private
// to this file and never sent (ToGrpcStatus copies only the google.rpc
// payloads), so that merging statuses keeps the count.
constexpr char kOmittedViolationsUrl[] = "type.riskledger/omitted_violations";

void AppendHexEscape(unsigned char byte, std::string& out) {
  absl::StrAppendFormat(&out, "\\x%02x", byte);
}

}  // namespace

std::string TruncateUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  if (max_bytes < sizeof(kEllipsis) - 1) return std::string();
  const size_t room = max_bytes - (sizeof(kEllipsis) - 1);
  size_t cut = 0;
  while (cut < text.size()) {
    uint32_t code_point = 0;
    size_t length = DecodeUtf8(text, cut, &code_point);
    if (length == 0) length = 1;  // an invalid byte is cut like a character
    if (cut + length > room) break;
    cut += length;
  }
  return absl::StrCat(text.substr(0, cut), kEllipsis);
}

std::string EchoInput(absl::string_view input) {
  std::string out = "'";
  size_t pos = 0;
  while (pos < input.size() && pos < kMaxEchoedInputBytes) {
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8(input, pos, &code_point);
    if (length == 0 || pos + length > kMaxEchoedInputBytes) {
      if (length != 0) break;  // a whole character did not fit
      AppendHexEscape(static_cast<unsigned char>(input[pos]), out);
      ++pos;
      continue;
    }
    if (IsControlCodePoint(code_point) || code_point == '\'' ||
        code_point == '\\') {
      for (size_t k = 0; k < length; ++k) {
        AppendHexEscape(static_cast<unsigned char>(input[pos + k]), out);
      }
    } else if (IsInvisibleCodePoint(code_point) ||
               IsDefaultIgnorableCodePoint(code_point)) {
      absl::StrAppendFormat(&out, "\\u{%04X}", code_point);
    } else {
      out.append(input.data() + pos, length);
    }
    pos += length;
  }
  if (pos < input.size()) out.append(kEllipsis);
  out.push_back('\'');
  return out;
}

absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description) {
  return InvalidFieldsError({{std::string(field), std::string(description)}});
}

absl::Status InvalidFieldsError(const std::vector<FieldViolation>& violations,
                                size_t omitted) {
  google::rpc::BadRequest bad_request;
  const size_t listed = std::min(violations.size(), kMaxReportedViolations);
  omitted += violations.size() - listed;
  // The count comes first so that cutting the message never loses it.
  std::string message =
      omitted == 0
          ? "invalid request: "
          : absl::StrCat("invalid request (", listed + omitted,
                         " problems, the first ", listed, " listed): ");
  for (size_t i = 0; i < listed; ++i) {
    const std::string field =
        TruncateUtf8(violations[i].field, kMaxFieldPathBytes);
    const std::string description =
        TruncateUtf8(violations[i].description, kMaxViolationDescriptionBytes);
    absl::StrAppend(&message, i == 0 ? "" : "; ", field, ": ", description);
    auto* out = bad_request.add_field_violations();
    out->set_field(field);
    out->set_description(description);
  }
  absl::Status status(absl::StatusCode::kInvalidArgument,
                      TruncateUtf8(message, kMaxErrorMessageBytes));
  status.SetPayload(kBadRequestTypeUrl,
                    absl::Cord(bad_request.SerializeAsString()));
  if (omitted > 0) {
    status.SetPayload(kOmittedViolationsUrl, absl::Cord(absl::StrCat(omitted)));
  }
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> violations;
  absl::optional<absl::Cord> payload = status.GetPayload(kBadRequestTypeUrl);
  google::rpc::BadRequest bad_request;
  if (!payload.has_value() ||
      !bad_request.ParseFromString(std::string(*payload))) {
    return violations;
  }
  for (const auto& violation : bad_request.field_violations()) {
    violations.push_back({violation.field(), violation.description()});
  }
  return violations;
}

absl::Status RuleViolationError(absl::StatusCode code, absl::string_view rule,
                                absl::string_view message) {
  absl::Status status(code, TruncateUtf8(absl::StrCat(message, " (", rule, ")"),
                                         kMaxErrorMessageBytes));
  google::rpc::ErrorInfo info;
  info.set_reason(kRuleReason);
  info.set_domain(kErrorDomain);
  (*info.mutable_metadata())["rule"] = std::string(rule);
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::string ViolatedRuleOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kErrorInfoTypeUrl);
  google::rpc::ErrorInfo info;
  if (!payload.has_value() || !info.ParseFromString(std::string(*payload)) ||
      info.reason() != kRuleReason) {
    return std::string();
  }
  auto rule = info.metadata().find("rule");
  return rule == info.metadata().end() ? std::string() : rule->second;
}

void FieldViolationCollector::Add(absl::string_view field,
                                  absl::string_view description) {
  if (full()) {
    ++omitted_;
    return;
  }
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
  for (const FieldViolation& violation : found) {
    Add(violation.field, violation.description);
  }
  absl::optional<absl::Cord> omitted = status.GetPayload(kOmittedViolationsUrl);
  size_t count = 0;
  if (omitted.has_value() && absl::SimpleAtoi(std::string(*omitted), &count)) {
    omitted_ += count;
  }
}

absl::Status FieldViolationCollector::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  return InvalidFieldsError(violations_, omitted_);
}

}  // namespace riskledger
