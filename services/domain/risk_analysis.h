// M4 score state of a risk (impact, likelihood, computed and adjusted level)
// and the decisions that change it, with the before/after diffs M14 records.
#ifndef RISKLEDGER_SERVICES_DOMAIN_RISK_ANALYSIS_H_
#define RISKLEDGER_SERVICES_DOMAIN_RISK_ANALYSIS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/domain/methodology.h"
#include "services/domain/screening.h"

namespace riskledger {
namespace domain {

// The scores of one risk. All zero means not analysed yet.
struct RiskScores {
  int impact = 0;
  int likelihood = 0;
  // impact x likelihood (M4); 0 when not analysed.
  int computed_level = 0;
  // The subjectively adjusted level (M4); 0 when there is no adjustment.
  int adjusted_level = 0;

  bool analysed() const { return computed_level > 0; }
  // The level decisions use: adjusted_level if set, else computed_level.
  int effective_level() const;
};

// One changed value, for the audit trail (M14).
struct ScoreChange {
  std::string field;
  int before = 0;
  int after = 0;
};

// M4: a new analysis with `impact` and `likelihood` on the scales of `m`
// (INVALID_ARGUMENT on fields "impact"/"likelihood" otherwise). The result has
// no adjustment: an adjustment refers to one analysis and does not survive a
// new one.
absl::StatusOr<RiskScores> AnalyseRisk(const Methodology& m, int impact,
                                       int likelihood);

// M4: OK when `adjusted_level` is a level of `m` (1..MaxRiskLevel(m));
// otherwise INVALID_ARGUMENT naming "adjusted_level". Stateless, so the
// adapter checks it with the rest of the request; AdjustRiskLevel checks it
// again with the same wording.
absl::Status ValidateAdjustedLevel(const Methodology& m, int adjusted_level);

// M4: `current` with its level adjusted to `adjusted_level`. Errors:
// FAILED_PRECONDITION (rule M4) when `current` has not been analysed;
// otherwise INVALID_ARGUMENT naming "adjusted_level" when it is outside
// 1..MaxRiskLevel(m) and/or "rationale" when the rationale is empty or only
// whitespace (M4 requires a written rationale). The caller records the
// rationale; it is not part of RiskScores.
absl::StatusOr<RiskScores> AdjustRiskLevel(const Methodology& m,
                                           const RiskScores& current,
                                           int adjusted_level,
                                           absl::string_view rationale);

// The fields that differ between `before` and `after`, in the order
// "impact", "likelihood", "computed_level", "adjusted_level".
std::vector<ScoreChange> DiffRiskScores(const RiskScores& before,
                                        const RiskScores& after);

// The impact-analysis scores that differ, as fields "impact_categories.<id>":
// first every category of `after` whose score differs from `before` (before
// is 0 when the category is absent there), in the order of `after`; then
// every category only in `before` (after = 0), in the order of `before`.
// Category ids are expected to be unique within each list, as ScreenImpact
// enforces; with duplicates, the first score of a category in `before` counts.
std::vector<ScoreChange> DiffCategoryScores(
    const std::vector<CategoryScore>& before,
    const std::vector<CategoryScore>& after);

}  // namespace domain
}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_DOMAIN_RISK_ANALYSIS_H_
