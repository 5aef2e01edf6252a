// The one parser of the decimal numbers that appear in names, etags and page
// tokens: canonical form only, so that each number has exactly one spelling.
#ifndef RISKLEDGER_SERVICES_COMMON_CANONICAL_NUMBER_H_
#define RISKLEDGER_SERVICES_COMMON_CANONICAL_NUMBER_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace riskledger {

// Most digits a canonical number may have: every such number, and that
// number plus one, fits in int64_t.
inline constexpr size_t kMaxCanonicalDigits = 18;

// The value of `text` when it is a positive decimal in canonical form: 1 to
// kMaxCanonicalDigits ASCII digits, the first not '0' (no sign, no spaces, no
// leading zeros); nullopt otherwise.
std::optional<int64_t> ParseCanonicalPositive(absl::string_view text);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_CANONICAL_NUMBER_H_
