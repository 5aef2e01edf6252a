// Etag parsing and the stale-etag check.
#include "services/common/etag.h"

#include "absl/strings/str_cat.h"
#include "services/base/status_details.h"
#include "services/common/canonical_number.h"

namespace riskledger {

std::string FormatEtag(int64_t version) { return absl::StrCat(version); }

absl::StatusOr<int64_t> ParseEtag(absl::string_view etag,
                                  absl::string_view field) {
  std::optional<int64_t> version = ParseCanonicalPositive(etag);
  if (!version.has_value()) {
    return InvalidFieldError(
        field, absl::StrCat("is not an etag this service issued (a decimal "
                            "stream version): ",
                            EchoInput(etag)));
  }
  return *version;
}

void CheckEtagFormat(FieldViolationCollector& violations,
                     absl::string_view etag, absl::string_view field) {
  if (etag.empty()) return;
  violations.Merge(ParseEtag(etag, field).status(), field);
}

absl::Status CheckEtag(absl::string_view etag, absl::string_view field,
                       absl::string_view current_etag) {
  if (etag.empty()) return absl::OkStatus();
  absl::StatusOr<int64_t> version = ParseEtag(etag, field);
  if (!version.ok()) return version.status();
  if (etag != current_etag) {
    return absl::AbortedError(absl::StrCat(
        field, " ", EchoInput(etag), " is stale: the resource is at etag '",
        current_etag, "'; re-read it and retry"));
  }
  return absl::OkStatus();
}

}  // namespace riskledger
