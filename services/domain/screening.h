// M2 screening of an asset's impact analysis: whether further risk
// identification is required, and which categories drive it.
#ifndef RISKLEDGER_SERVICES_DOMAIN_SCREENING_H_
#define RISKLEDGER_SERVICES_DOMAIN_SCREENING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/methodology.h"

namespace riskledger {
namespace domain {

// The score of one impact category (ImpactCategory::id) of an asset.
struct CategoryScore {
  std::string category;
  int score = 0;
};

// The outcome of ScreenImpact.
struct ScreeningResult {
  // M2: further risk identification and analysis of the asset is required.
  bool identification_required = false;
  // The mean of all category scores.
  double mean_score = 0.0;
  // The categories the identified risks must address, in methodology order:
  // every category scoring screening.high_score or more; when none does but
  // the mean reaches screening.mean_threshold, all categories. Empty when
  // identification is not required.
  std::vector<std::string> driving_categories;
  // One sentence for people, citing M2, explaining the outcome.
  std::string reason;
};

// Applies the M2 screening rule of `m` to an asset's impact analysis.
// `scores` must hold exactly one score per category of `m` (any order); each
// score must be on m.impact. Errors (INVALID_ARGUMENT, all reported at once):
// unknown or duplicate category -> "scores[i].category"; bad score ->
// "scores[i].score"; missing category X -> "scores" ("missing category X").
// FAILED_PRECONDITION (M2) when `m` defines no impact categories.
// Identification is not required iff mean < m.screening.mean_threshold and no
// score >= m.screening.high_score.
absl::StatusOr<ScreeningResult> ScreenImpact(
    const Methodology& m, const std::vector<CategoryScore>& scores);

}  // namespace domain
}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_DOMAIN_SCREENING_H_
