// UnexpectedExceptionStatus: log the cause, tell the caller only INTERNAL.
#include "services/common/call_guard.h"

#include <string>

#include "absl/status/status.h"
#include "services/base/log.h"
#include "services/base/status_details.h"
#include "services/common/grpc_status.h"

namespace riskledger {

absl::Status UnexpectedException(absl::string_view method,
                                 absl::string_view cause) {
  LogError("%s: unexpected exception: %s (the call fails with INTERNAL)",
           std::string(method), TruncateUtf8(cause, kMaxErrorMessageBytes));
  return absl::InternalError(
      "the server failed unexpectedly while handling the call; the cause is "
      "in the server log");
}

grpc::Status UnexpectedExceptionStatus(absl::string_view method,
                                       absl::string_view cause) {
  return ToGrpcStatus(UnexpectedException(method, cause));
}

grpc::Status SafeUnexpectedExceptionStatus(absl::string_view method,
                                           absl::string_view cause) noexcept {
  try {
    return UnexpectedExceptionStatus(method, cause);
  } catch (...) {
    return grpc::Status(grpc::StatusCode::INTERNAL, std::string());
  }
}

}  // namespace riskledger
