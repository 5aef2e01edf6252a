// M3 human-readable risk ids of the form R-YYYY-NNNN.
#ifndef RISKLEDGER_SERVICES_DOMAIN_RISK_ID_H_
#define RISKLEDGER_SERVICES_DOMAIN_RISK_ID_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace riskledger {
namespace domain {

// "R-<year>-<sequence>", the year as 4 digits and the sequence zero-padded to
// at least 4 digits (wider when needed): FormatRiskId(2026, 42) ==
// "R-2026-0042", FormatRiskId(2026, 12345) == "R-2026-12345".
// Preconditions: 1000 <= year <= 9999 and sequence >= 0 (otherwise the result
// fails IsValidRiskId).
std::string FormatRiskId(int year, int64_t sequence);

// True iff `id` is in the canonical form FormatRiskId produces: "R-", four
// digits, "-", then four to 18 digits, where a sequence wider than four
// digits has no leading zero (so each (year, sequence) has exactly one id,
// and every sequence fits in int64_t).
bool IsValidRiskId(absl::string_view id);

// A byte string whose order is the numeric (year, sequence) order of risk ids,
// so that R-2026-9999 sorts before R-2026-10000 (M6 tie-break, id order):
// the id with its sequence zero-padded to 19 digits (wider than any valid
// sequence). An id that is not valid
// is returned unchanged (and sorts by its bytes).
std::string RiskIdSortKey(absl::string_view id);

}  // namespace domain
}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_DOMAIN_RISK_ID_H_
