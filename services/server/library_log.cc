// Library log handlers: per-call-site rate limiting, and a per-thread memory
// of protobuf's last complaint.
#include "services/server/library_log.h"

#include <cstdint>

#include "absl/base/call_once.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"
#include "services/base/log.h"
#include "services/base/status_details.h"

namespace riskledger::server {
namespace {

thread_local std::string last_complaint;

// Call sites are a fixed set in the libraries' code; the bound only guards
// against surprises.
constexpr size_t kMaxTrackedSites = 4096;

struct SiteState {
  absl::Time last_logged = absl::InfinitePast();
  int64_t suppressed = 0;
};

absl::Mutex rate_mu(absl::kConstInit);
absl::flat_hash_map<std::string, SiteState>* sites ABSL_GUARDED_BY(rate_mu) =
    nullptr;

// `text` with control characters as \xNN: library messages can carry bytes a
// peer chose (e.g. a metadata key), which must not forge log lines.
std::string EscapeControls(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      absl::StrAppendFormat(&out, "\\x%02x", byte);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Logs `message` from `library` at `site` unless that site logged within
// kLibraryLogPeriod.
void LogRateLimited(LogSeverity severity, absl::string_view library,
                    const std::string& site, absl::string_view message) {
  int64_t dropped = 0;
  {
    absl::MutexLock lock(&rate_mu);
    if (sites == nullptr)
      sites = new absl::flat_hash_map<std::string, SiteState>();
    if (sites->size() >= kMaxTrackedSites && !sites->contains(site)) {
      sites->clear();
    }
    SiteState& state = (*sites)[site];
    const absl::Time now = absl::Now();
    if (now - state.last_logged < kLibraryLogPeriod) {
      ++state.suppressed;
      return;
    }
    state.last_logged = now;
    dropped = state.suppressed;
    state.suppressed = 0;
  }
  LogLine(severity,
          absl::StrCat(
              library, " ", site, ": ",
              EscapeControls(TruncateUtf8(message, kMaxErrorMessageBytes)),
              dropped > 0
                  ? absl::StrCat(" (", dropped, " similar lines suppressed)")
                  : ""));
}

void HandleProtobufLog(google::protobuf::LogLevel level, const char* filename,
                       int line, const std::string& message) {
  last_complaint = TruncateUtf8(message, kMaxViolationDescriptionBytes);
  // Protobuf reports what a client sent (a request it cannot decode) as
  // ERROR; for the server that is a warning about a client.
  LogRateLimited(level >= google::protobuf::LOGLEVEL_FATAL
                     ? LogSeverity::kError
                     : LogSeverity::kWarning,
                 "protobuf", absl::StrCat(filename, ":", line), message);
}

void HandleGrpcLog(gpr_log_func_args* args) {
  // gRPC's DEBUG and INFO lines are information; its ERROR lines errors.
  const LogSeverity severity = args->severity == GPR_LOG_SEVERITY_ERROR
                                   ? LogSeverity::kError
                                   : LogSeverity::kInfo;
  LogRateLimited(
      severity, "grpc",
      absl::StrCat(args->file == nullptr ? "?" : args->file, ":", args->line),
      args->message == nullptr ? "" : args->message);
}

}  // namespace

void InstallLibraryLogHandlers() {
  static absl::once_flag once;
  absl::call_once(once, [] {
    google::protobuf::SetLogHandler(&HandleProtobufLog);
    gpr_set_log_function(&HandleGrpcLog);
  });
}

std::string TakeLastProtobufComplaint() {
  std::string complaint;
  complaint.swap(last_complaint);
  return complaint;
}

}  // namespace riskledger::server
