// ToGrpcStatus: code mapping plus google.rpc.Status details, within the
// documented size bounds.
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
const char* ReasonOf(const absl::Status& status, bool has_violations) {
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
    case absl::StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case absl::StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
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
  const std::string message =
      TruncateUtf8(status.message(), kMaxErrorMessageBytes);
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(status.code()));
  rich.set_message(message);

  // ErrorInfo first: it is small and says what kind of error this is.
  absl::optional<absl::Cord> info = status.GetPayload(kErrorInfoTypeUrl);
  google::protobuf::Any* info_detail = rich.add_details();
  if (info.has_value()) {
    info_detail->set_type_url(kErrorInfoTypeUrl);
    info_detail->set_value(std::string(*info));
  } else {
    google::rpc::ErrorInfo made;
    made.set_reason(
        ReasonOf(status, status.GetPayload(kBadRequestTypeUrl).has_value()));
    made.set_domain(kErrorDomain);
    info_detail->PackFrom(made);
  }
  // The BadRequest is bounded where it is built (status_details.h); the
  // check keeps any status that bypassed those builders within bounds too.
  absl::optional<absl::Cord> bad_request =
      status.GetPayload(kBadRequestTypeUrl);
  if (bad_request.has_value() && bad_request->size() <= kMaxErrorDetailsBytes) {
    google::protobuf::Any* detail = rich.add_details();
    detail->set_type_url(kBadRequestTypeUrl);
    detail->set_value(std::string(*bad_request));
  }
  return grpc::Status(code, message, rich.SerializeAsString());
}

}  // namespace riskledger
