// Routes protobuf's own log lines into the project's logger, rate-limited (a
// client sending undecodable requests must not flood the log), and remembers
// the last parse complaint made on each thread so that the request-decoding
// interceptor can tell the client which field was wrong.
#ifndef RISKLEDGER_SERVICES_SERVER_PROTOBUF_LOG_H_
#define RISKLEDGER_SERVICES_SERVER_PROTOBUF_LOG_H_

#include <string>

#include "absl/time/time.h"

namespace riskledger::server {

// At most one protobuf line per this period reaches the log; the next line
// after a quiet period says how many were suppressed.
inline constexpr absl::Duration kProtobufLogPeriod = absl::Seconds(10);

// Installs the handler (idempotent; call before the server starts serving:
// protobuf's SetLogHandler is not thread-safe).
void InstallProtobufLogHandler();

// The last message protobuf logged on this thread since the previous call
// (cut to a few hundred bytes), or "" when there is none; clears it.
std::string TakeLastProtobufComplaint();

}  // namespace riskledger::server

#endif  // RISKLEDGER_SERVICES_SERVER_PROTOBUF_LOG_H_
