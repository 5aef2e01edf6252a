// Pagination (AIP-158): page sizes and opaque page tokens bound to their query.
#ifndef RISKLEDGER_SERVICES_COMMON_PAGE_TOKEN_H_
#define RISKLEDGER_SERVICES_COMMON_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/base/status_details.h"

namespace riskledger {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 → kDefaultPageSize; above kMaxPageSize → kMaxPageSize; negative → a
// violation of "page_size" (and kDefaultPageSize is returned).
int EffectivePageSize(int requested, FieldViolationCollector& violations);

// A token that resumes after `resume_key` for the query described by `query`
// (parent, filter, order: everything that must not change between pages).
std::string EncodePageToken(absl::string_view query,
                            absl::string_view resume_key);

// The resume key of `token` ("" for an empty token). INVALID_ARGUMENT naming
// "page_token" when the token is malformed or belongs to another query.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view query);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_PAGE_TOKEN_H_
