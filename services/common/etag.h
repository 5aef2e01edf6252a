// Etags (AIP-154): the stream version of a resource, as a canonical decimal.
#ifndef RISKLEDGER_SERVICES_COMMON_ETAG_H_
#define RISKLEDGER_SERVICES_COMMON_ETAG_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/base/status_details.h"

namespace riskledger {

// The etag of a resource at stream `version` (>= 1).
std::string FormatEtag(int64_t version);

// The stream version an etag names. INVALID_ARGUMENT naming `field` when the
// etag is not one this service issues (ParseCanonicalPositive: " 5", "+5",
// "05" are malformed, not stale).
absl::StatusOr<int64_t> ParseEtag(absl::string_view etag,
                                  absl::string_view field);

// Records a violation of `field` when `etag` is set but malformed, so that a
// bad etag is reported with the request's other bad fields, before anything
// is read.
void CheckEtagFormat(FieldViolationCollector& violations,
                     absl::string_view etag, absl::string_view field);

// OK when `etag` is empty or equals `current_etag`; ABORTED when it is stale
// (AIP-154), INVALID_ARGUMENT when malformed.
absl::Status CheckEtag(absl::string_view etag, absl::string_view field,
                       absl::string_view current_etag);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_ETAG_H_
