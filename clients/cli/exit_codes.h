// riskctl's exit codes: what a script may rely on (README "riskctl").
#ifndef RISKLEDGER_CLIENTS_CLI_EXIT_CODES_H_
#define RISKLEDGER_CLIENTS_CLI_EXIT_CODES_H_

#include "grpcpp/support/status.h"

namespace riskledger::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,         // anything not below (INTERNAL, UNKNOWN, a local I/O error)
  kExitUsage = 2,          // wrong command line, config or input file
  kExitRefused = 3,        // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
  kExitNotFound = 4,       // NOT_FOUND
  kExitConflict = 5,       // ALREADY_EXISTS, ABORTED (a stale etag)
  kExitDenied = 6,         // PERMISSION_DENIED, UNAUTHENTICATED
  kExitUnavailable = 7,    // UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED: try again
  kExitRowsRejected = 8,   // import: rows rejected, nothing (or not all) imported
};

// The exit code of a call that ended with `status`.
ExitCode ExitCodeOf(const grpc::Status& status);

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_EXIT_CODES_H_
