// ParseCanonicalPositive: digit by digit, lengths checked before any use.
#include "services/common/canonical_number.h"

namespace riskledger {

std::optional<int64_t> ParseCanonicalPositive(absl::string_view text) {
  if (text.empty() || text.size() > kMaxCanonicalDigits || text[0] == '0') {
    return std::nullopt;
  }
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace riskledger
