// The protobuf log handler: rate-limited forwarding plus a per-thread memory
// of the last complaint.
#include "services/server/protobuf_log.h"

#include <cstdint>

#include "absl/base/call_once.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/stubs/logging.h"
#include "services/base/log.h"
#include "services/base/status_details.h"

namespace riskledger::server {
namespace {

thread_local std::string last_complaint;

absl::Mutex rate_mu(absl::kConstInit);
absl::Time last_logged ABSL_GUARDED_BY(rate_mu) = absl::InfinitePast();
int64_t suppressed ABSL_GUARDED_BY(rate_mu) = 0;

void HandleProtobufLog(google::protobuf::LogLevel level, const char* filename,
                       int line, const std::string& message) {
  last_complaint = TruncateUtf8(message, kMaxViolationDescriptionBytes);
  int64_t dropped = 0;
  {
    absl::MutexLock lock(&rate_mu);
    const absl::Time now = absl::Now();
    if (now - last_logged < kProtobufLogPeriod) {
      ++suppressed;
      return;
    }
    last_logged = now;
    dropped = suppressed;
    suppressed = 0;
  }
  // Protobuf reports what a client sent (a request it cannot decode) as
  // ERROR; for the server that is a warning about a client.
  const LogSeverity severity = level >= google::protobuf::LOGLEVEL_FATAL
                                   ? LogSeverity::kError
                                   : LogSeverity::kWarning;
  LogLine(severity,
          absl::StrFormat(
              "protobuf %s:%d: %s%s", filename, line,
              TruncateUtf8(message, kMaxErrorMessageBytes),
              dropped > 0
                  ? absl::StrFormat(" (%d similar lines suppressed)", dropped)
                  : ""));
}

}  // namespace

void InstallProtobufLogHandler() {
  static absl::once_flag once;
  absl::call_once(once,
                  [] { google::protobuf::SetLogHandler(&HandleProtobufLog); });
}

std::string TakeLastProtobufComplaint() {
  std::string complaint;
  complaint.swap(last_complaint);
  return complaint;
}

}  // namespace riskledger::server
