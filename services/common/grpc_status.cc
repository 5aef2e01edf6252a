// ToGrpcStatus: code mapping plus google.rpc.Status details.
#include "services/common/grpc_status.h"

#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/base/status_details.h"

namespace riskledger {
namespace {

// The ErrorInfo domain of every riskledger error.
constexpr char kErrorDomain[] = "riskledger.v1";

// A stable, machine-readable reason for a status (AIP-193 ErrorInfo.reason).
const char* ReasonOf(const absl::Status& status, bool has_rule,
                     bool has_violations) {
  if (has_rule) return "METHODOLOGY_RULE";
  if (has_violations) return "INVALID_FIELD";
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return "RESOURCE_NOT_FOUND";
    case absl::StatusCode::kAlreadyExists:
      return "RESOURCE_ALREADY_EXISTS";
    case absl::StatusCode::kAborted:
      return "CONCURRENT_MODIFICATION";
    case absl::StatusCode::kFailedPrecondition:
      return "PRECONDITION_FAILED";
    case absl::StatusCode::kInvalidArgument:
      return "INVALID_REQUEST";
    case absl::StatusCode::kUnavailable:
      return "SERVICE_UNAVAILABLE";
    case absl::StatusCode::kDataLoss:
      return "DATA_LOSS";
    default:
      return "INTERNAL_ERROR";
  }
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbering.
  auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(status.code()));
  rich.set_message(message);

  const std::string rule = ViolatedRuleOf(status);
  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  google::rpc::ErrorInfo info;
  info.set_reason(ReasonOf(status, !rule.empty(), !violations.empty()));
  info.set_domain(kErrorDomain);
  if (!rule.empty()) (*info.mutable_metadata())["rule"] = rule;
  rich.add_details()->PackFrom(info);

  if (!violations.empty()) {
    google::rpc::BadRequest bad_request;
    for (const FieldViolation& violation : violations) {
      auto* out = bad_request.add_field_violations();
      out->set_field(violation.field);
      out->set_description(violation.description);
    }
    rich.add_details()->PackFrom(bad_request);
  }
  return grpc::Status(code, message, rich.SerializeAsString());
}

}  // namespace riskledger
