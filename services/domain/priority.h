// M6 prioritisation of risks: a strict weak order and an equivalent byte key
// for storage indexes.
#ifndef RISKLEDGER_SERVICES_DOMAIN_PRIORITY_H_
#define RISKLEDGER_SERVICES_DOMAIN_PRIORITY_H_

#include <string>

namespace riskledger {
namespace domain {

// What a risk's priority depends on.
struct PriorityKey {
  // Effective level (adjusted if set, else computed); 0 when not analysed.
  int level = 0;
  int impact = 0;
  int likelihood = 0;
  std::string risk_id;
};

// M6: true iff `a` comes strictly before `b` in the register. A strict weak
// order (total when risk ids are unique): level descending; on equal levels
// higher impact first; then (our documented, stable tie-break) higher
// likelihood first, then risk ids in numeric (year, sequence) order.
// Unanalysed risks (level 0) therefore follow all analysed ones.
bool HasHigherPriority(const PriorityKey& a, const PriorityKey& b);

// A byte string whose lexicographic (memcmp) order is the order of
// HasHigherPriority: PrioritySortKey(a) < PrioritySortKey(b) iff
// HasHigherPriority(a, b), and equal keys iff neither. Format (printable
// ASCII): level, impact and likelihood each as 8 lowercase hex digits of
// 0x7fffffff - value (so larger values sort first, for every int), followed
// by RiskIdSortKey(risk_id). Stable across releases: it may be persisted.
std::string PrioritySortKey(const PriorityKey& k);

}  // namespace domain
}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_DOMAIN_PRIORITY_H_
