// The one place that turns absl::Status into grpc::Status with rich details.
#ifndef RISKLEDGER_SERVICES_COMMON_GRPC_STATUS_H_
#define RISKLEDGER_SERVICES_COMMON_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace riskledger {

// Largest serialized google.rpc.BadRequest sent; a status carrying a larger
// one (none of our builders makes one) is sent without it.
inline constexpr size_t kMaxErrorDetailsBytes = 4096;

// Maps the code and message (cut to kMaxErrorMessageBytes), and adds
// google.rpc details (AIP-193): always an ErrorInfo (domain "riskledger.v1",
// a reason such as "RESOURCE_NOT_FOUND"; "METHODOLOGY_RULE" with metadata
// {"rule": "M4"} for a violated rule), and the BadRequest naming the invalid
// fields. The serialized details stay below 3.2 KB (status_details.h), so
// that the trailers fit gRPC's default 8 KiB metadata limit.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_GRPC_STATUS_H_
