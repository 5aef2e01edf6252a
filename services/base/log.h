// The project's one logger: timestamped lines on stderr, safe from any thread.
#ifndef RISKLEDGER_SERVICES_BASE_LOG_H_
#define RISKLEDGER_SERVICES_BASE_LOG_H_

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace riskledger {

enum class LogSeverity { kInfo, kWarning, kError };

// Writes one line "<UTC time> <severity> <message>" to stderr atomically.
void LogLine(LogSeverity severity, absl::string_view message);

template <typename... Args>
void LogInfo(const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine(LogSeverity::kInfo, absl::StrFormat(format, args...));
}
template <typename... Args>
void LogWarning(const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine(LogSeverity::kWarning, absl::StrFormat(format, args...));
}
template <typename... Args>
void LogError(const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine(LogSeverity::kError, absl::StrFormat(format, args...));
}

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_BASE_LOG_H_
