// Structured error details carried on absl::Status: the offending request
// fields and the methodology rule (M1..M14) a request breaks. One place (the
// gRPC layer) turns them into google.rpc details; everything below it only
// builds them.
#ifndef RISKLEDGER_SERVICES_BASE_STATUS_DETAILS_H_
#define RISKLEDGER_SERVICES_BASE_STATUS_DETAILS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace riskledger {

// One invalid field of a request, named by its path (e.g. "risk.owner").
struct FieldViolation {
  std::string field;
  std::string description;
};

// INVALID_ARGUMENT naming a single field.
absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description);

// INVALID_ARGUMENT naming every field in `violations` (must be non-empty).
absl::Status InvalidFieldsError(const std::vector<FieldViolation>& violations);

// The field violations attached to `status`; empty when there are none.
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// A status of `code` that names the methodology rule it enforces, e.g.
// RuleViolationError(kFailedPrecondition, "M4", "risk has not been analysed").
absl::Status RuleViolationError(absl::StatusCode code, absl::string_view rule,
                                absl::string_view message);

// The rule attached by RuleViolationError, or "" when there is none.
std::string ViolatedRuleOf(const absl::Status& status);

// Collects violations while a request is checked, so that the caller hears
// about every bad field at once rather than one per round trip.
class FieldViolationCollector {
 public:
  void Add(absl::string_view field, absl::string_view description);
  // Merges the violations of `status` (or records its message against
  // `field_if_none` when it carries none). OK statuses are ignored.
  void Merge(const absl::Status& status, absl::string_view field_if_none);
  bool empty() const { return violations_.empty(); }
  // OK when nothing was collected, otherwise InvalidFieldsError.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
};

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_BASE_STATUS_DETAILS_H_
