// The filter subset riskledger.v1 list methods accept (a subset of AIP-160):
// equality terms joined by AND, e.g. `owner = "alice" AND band = high`.
#ifndef RISKLEDGER_SERVICES_COMMON_LIST_FILTER_H_
#define RISKLEDGER_SERVICES_COMMON_LIST_FILTER_H_

#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace riskledger {

// Longest filter accepted, in bytes.
inline constexpr size_t kMaxFilterLength = 1024;

// field -> required value. A field may appear once.
using EqualityFilter = std::map<std::string, std::string>;

// Parses `filter`; INVALID_ARGUMENT naming "filter" when it is longer than
// kMaxFilterLength, holds an ASCII control character, has a syntax error, an
// unknown field (not in `allowed_fields`) or a repeated field.
absl::StatusOr<EqualityFilter> ParseEqualityFilter(
    absl::string_view filter, const std::set<std::string>& allowed_fields);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_LIST_FILTER_H_
