// Score validation, level computation and band lookup against a methodology.
#include "services/domain/scoring.h"

#include "absl/strings/str_format.h"
#include "services/base/status_details.h"

namespace riskledger {
namespace domain {

absl::Status ValidateScore(const Scale& scale, int score,
                           absl::string_view field) {
  if (scale.Find(score) != nullptr) return absl::OkStatus();
  if (scale.levels.empty()) {
    return InvalidFieldError(
        field, absl::StrFormat("scale \"%s\" has no scores (M1)", scale.name));
  }
  return InvalidFieldError(
      field, absl::StrFormat("must be between %d and %d (M1), got %d",
                             scale.min_score(), scale.max_score(), score));
}

absl::StatusOr<int> RiskLevel(const Methodology& m, int impact,
                              int likelihood) {
  FieldViolationCollector violations;
  violations.Merge(ValidateScore(m.impact, impact, "impact"), "impact");
  violations.Merge(ValidateScore(m.likelihood, likelihood, "likelihood"),
                   "likelihood");
  if (!violations.empty()) return violations.ToStatus();
  return impact * likelihood;  // M4
}

const Band* BandForLevel(const Methodology& m, int level) {
  for (const Band& band : m.bands) {
    if (band.min_level <= level && level <= band.max_level) return &band;
  }
  return nullptr;
}

int MaxRiskLevel(const Methodology& m) {
  return m.impact.max_score() * m.likelihood.max_score();
}

}  // namespace domain
}  // namespace riskledger
