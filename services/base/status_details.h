// Structured error details carried on absl::Status: the offending request
// fields (google.rpc.BadRequest) and the methodology rule (M1..M14) a request
// breaks (google.rpc.ErrorInfo), stored as serialized google.rpc protos under
// their type URLs so that no input can forge a detail. One place (the gRPC
// layer) copies them into the status it sends; everything below it only
// builds them. Every detail is bounded in size (see the limits below), so a
// client with gRPC's default 8 KiB metadata limit can always read the error.
#ifndef RISKLEDGER_SERVICES_BASE_STATUS_DETAILS_H_
#define RISKLEDGER_SERVICES_BASE_STATUS_DETAILS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace riskledger {

// Documented error bounds (README "Errors"). Field paths are built by the
// server, never copied from input, and stay below kMaxFieldPathBytes. With
// these, the serialized google.rpc.Status of any error stays below 3.2 KB
// (4.3 KB as base64 in the grpc-status-details-bin trailer) and the
// percent-encoded grpc-message below 1.6 KB: together well inside gRPC's
// default 8 KiB limit on received metadata.
inline constexpr size_t kMaxErrorMessageBytes = 512;
inline constexpr size_t kMaxViolationDescriptionBytes = 160;
inline constexpr size_t kMaxFieldPathBytes = 80;
inline constexpr size_t kMaxReportedViolations = 10;
// Input echoed in an error (a name, a mask path, a filter token) is cut here.
inline constexpr size_t kMaxEchoedInputBytes = 64;

// Type URLs of the payloads (google.rpc protos, as in google.rpc.Status).
inline constexpr char kBadRequestTypeUrl[] =
    "type.googleapis.com/google.rpc.BadRequest";
inline constexpr char kErrorInfoTypeUrl[] =
    "type.googleapis.com/google.rpc.ErrorInfo";

// One invalid field of a request, named by its path (e.g. "risk.owner").
struct FieldViolation {
  std::string field;
  std::string description;
};

// `input` quoted for an error message: '…', at most kMaxEchoedInputBytes of
// it (cut on a UTF-8 boundary, marked with "..."), control characters,
// quotes, backslashes and invalid UTF-8 escaped as \xNN, invisible and bidi
// characters as \u{XXXX}. Never longer than 4 * kMaxEchoedInputBytes + 8
// bytes.
std::string EchoInput(absl::string_view input);

// `text` cut to at most `max_bytes` bytes on a UTF-8 boundary, ending in
// "..." when cut (max_bytes >= 3).
std::string TruncateUtf8(absl::string_view text, size_t max_bytes);

// INVALID_ARGUMENT naming a single field.
absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description);

// INVALID_ARGUMENT naming every field in `violations` (must be non-empty);
// `omitted` counts further violations that were found but not listed.
absl::Status InvalidFieldsError(const std::vector<FieldViolation>& violations,
                                size_t omitted = 0);

// The field violations attached to `status`; empty when there are none.
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// A status of `code` that names the methodology rule it enforces, e.g.
// RuleViolationError(kFailedPrecondition, "M4", "risk has not been analysed").
absl::Status RuleViolationError(absl::StatusCode code, absl::string_view rule,
                                absl::string_view message);

// The rule attached by RuleViolationError, or "" when there is none.
std::string ViolatedRuleOf(const absl::Status& status);

// Collects violations while a request is checked, so that the caller hears
// about every bad field at once rather than one per round trip. Keeps the
// first kMaxReportedViolations and only counts the rest, so a request with a
// million bad elements costs no more memory than one with ten.
class FieldViolationCollector {
 public:
  void Add(absl::string_view field, absl::string_view description);
  // Merges the violations of `status` (or records its message against
  // `field_if_none` when it carries none). OK statuses are ignored.
  void Merge(const absl::Status& status, absl::string_view field_if_none);
  bool empty() const { return violations_.empty(); }
  // Whether further violations would only be counted.
  bool full() const { return violations_.size() >= kMaxReportedViolations; }
  // OK when nothing was collected, otherwise InvalidFieldsError.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
  size_t omitted_ = 0;
};

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_BASE_STATUS_DETAILS_H_
