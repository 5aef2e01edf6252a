// Routes the log lines of protobuf and gRPC core into the project's logger,
// rate-limited per call site (a client sending undecodable or compressed
// requests must not flood the log), and remembers the last complaint
// protobuf made on each thread so that the request-decoding interceptor can
// tell the client which field was wrong.
#ifndef RISKLEDGER_SERVICES_SERVER_LIBRARY_LOG_H_
#define RISKLEDGER_SERVICES_SERVER_LIBRARY_LOG_H_

#include <string>

#include "absl/time/time.h"

namespace riskledger::server {

// At most one line per library call site (file:line) per this period reaches
// the log; the next line from that site after a quiet period says how many
// were suppressed.
inline constexpr absl::Duration kLibraryLogPeriod = absl::Seconds(10);

// Installs the handlers (idempotent; call before the server starts: the
// libraries' setters are not thread-safe).
void InstallLibraryLogHandlers();

// The last message protobuf logged on this thread since the previous call
// (cut to a few hundred bytes), or "" when there is none; clears it.
std::string TakeLastProtobufComplaint();

}  // namespace riskledger::server

#endif  // RISKLEDGER_SERVICES_SERVER_LIBRARY_LOG_H_
