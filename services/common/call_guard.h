// The last line of defence of every RPC handler: nothing thrown inside a
// handler (we use no exceptions, but the standard library and protobuf can
// throw, e.g. std::bad_alloc or std::length_error) reaches gRPC. The caller
// gets INTERNAL, the log gets the cause, and the server keeps serving; locks
// are RAII everywhere, so unwinding releases them.
#ifndef RISKLEDGER_SERVICES_COMMON_CALL_GUARD_H_
#define RISKLEDGER_SERVICES_COMMON_CALL_GUARD_H_

#include <exception>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace riskledger {

// INTERNAL for a call to `method` that threw; logs `cause` (what() of the
// exception, or "unknown exception").
absl::Status UnexpectedException(absl::string_view method,
                                 absl::string_view cause);
grpc::Status UnexpectedExceptionStatus(absl::string_view method,
                                       absl::string_view cause);

// What UnexpectedExceptionStatus returns, or a bare INTERNAL (built without
// allocating) when even that throws, e.g. std::bad_alloc while logging.
grpc::Status SafeUnexpectedExceptionStatus(absl::string_view method,
                                           absl::string_view cause) noexcept;

// Runs `handler` (returning grpc::Status) and converts any exception.
template <typename Handler>
grpc::Status GuardCall(absl::string_view method, Handler&& handler) noexcept {
  try {
    return handler();
  } catch (const std::exception& exception) {
    return SafeUnexpectedExceptionStatus(method, exception.what());
  } catch (...) {
    return SafeUnexpectedExceptionStatus(method, "unknown exception");
  }
}

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_CALL_GUARD_H_
