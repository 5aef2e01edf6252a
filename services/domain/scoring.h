// Scores and risk levels (M1, M4, M5): validating a score against a scale,
// level = impact x likelihood, and the band a level falls in.
#ifndef RISKLEDGER_SERVICES_DOMAIN_SCORING_H_
#define RISKLEDGER_SERVICES_DOMAIN_SCORING_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/domain/methodology.h"

namespace riskledger {
namespace domain {

// OK when `score` is a score of `scale`; otherwise INVALID_ARGUMENT naming
// `field`, with a description such as "must be between 1 and 5 (M1), got 7".
absl::Status ValidateScore(const Scale& scale, int score,
                           absl::string_view field);

// M4: the risk level impact x likelihood. Each score is validated against its
// scale of `m` (fields "impact" and "likelihood"; both reported when both are
// bad).
absl::StatusOr<int> RiskLevel(const Methodology& m, int impact, int likelihood);

// M5: the band of `m` containing `level`, or nullptr when no band does (level
// out of range, or `m` not validated). The pointer is valid as long as
// `m.bands` is not modified.
const Band* BandForLevel(const Methodology& m, int level);

// The highest risk level of `m`: impact.max_score() x likelihood.max_score().
int MaxRiskLevel(const Methodology& m);

}  // namespace domain
}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_DOMAIN_SCORING_H_
