// The one place that turns absl::Status into grpc::Status with rich details.
#ifndef RISKLEDGER_SERVICES_COMMON_GRPC_STATUS_H_
#define RISKLEDGER_SERVICES_COMMON_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace riskledger {

// Maps the code and message, and adds google.rpc details (AIP-193): always an
// ErrorInfo (domain "riskledger.v1", a reason such as "RESOURCE_NOT_FOUND";
// "METHODOLOGY_RULE" with metadata {"rule": "M4"} for a violated rule), and a
// BadRequest naming every invalid field.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_GRPC_STATUS_H_
