// The one place that turns absl::Status into grpc::Status with rich details.
#ifndef RISKLEDGER_SERVICES_COMMON_GRPC_STATUS_H_
#define RISKLEDGER_SERVICES_COMMON_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace riskledger {

// Maps the code and message; field violations become google.rpc.BadRequest and
// a violated methodology rule becomes google.rpc.ErrorInfo (reason
// "METHODOLOGY_RULE", metadata {"rule": "M4"}), both in the status details.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_GRPC_STATUS_H_
