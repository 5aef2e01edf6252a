// The M6 priority order and its byte-key encoding.
#include "services/domain/priority.h"

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "services/domain/risk_id.h"

namespace riskledger {
namespace domain {
namespace {

// Subtracting from INT32_MAX maps every int32 onto 0..UINT32_MAX in reverse
// order, so that an ascending key means a descending value.
constexpr int64_t kDescendingBias = INT32_MAX;
// Hex digits per numeric field (32 bits), and numeric fields per key.
constexpr size_t kHexDigits = 8;
constexpr size_t kNumericFields = 3;

void AppendDescending(std::string& key, int value) {
  const uint32_t encoded =
      static_cast<uint32_t>(kDescendingBias - static_cast<int64_t>(value));
  absl::StrAppendFormat(&key, "%0*x", static_cast<int>(kHexDigits), encoded);
}

}  // namespace

bool HasHigherPriority(const PriorityKey& a, const PriorityKey& b) {
  if (a.level != b.level) return a.level > b.level;
  if (a.impact != b.impact) return a.impact > b.impact;  // M6
  if (a.likelihood != b.likelihood) return a.likelihood > b.likelihood;
  // Then id order, numerically (RiskIdSortKey); std::string compares as
  // unsigned bytes, i.e. like memcmp, as the sort key does.
  return RiskIdSortKey(a.risk_id) < RiskIdSortKey(b.risk_id);
}

std::string PrioritySortKey(const PriorityKey& k) {
  std::string key;
  const std::string id_key = RiskIdSortKey(k.risk_id);
  key.reserve(kNumericFields * kHexDigits + id_key.size());
  AppendDescending(key, k.level);
  AppendDescending(key, k.impact);
  AppendDescending(key, k.likelihood);
  key.append(id_key);
  return key;
}

}  // namespace domain
}  // namespace riskledger
