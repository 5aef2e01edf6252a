// Analysis and adjustment of a risk's scores (M4) and their diffs (M14).
#include "services/domain/risk_analysis.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/base/status_details.h"
#include "services/base/status_macros.h"
#include "services/domain/scoring.h"

namespace riskledger {
namespace domain {
namespace {

constexpr char kCategoryFieldPrefix[] = "impact_categories.";

void AddIfChanged(std::vector<ScoreChange>& changes, absl::string_view field,
                  int before, int after) {
  if (before != after) changes.push_back({std::string(field), before, after});
}

}  // namespace

int RiskScores::effective_level() const {
  return adjusted_level > 0 ? adjusted_level : computed_level;
}

absl::StatusOr<RiskScores> AnalyseRisk(const Methodology& m, int impact,
                                       int likelihood) {
  RiskScores scores;
  ASSIGN_OR_RETURN(scores.computed_level, RiskLevel(m, impact, likelihood));
  scores.impact = impact;
  scores.likelihood = likelihood;
  return scores;
}

absl::Status ValidateAdjustedLevel(const Methodology& m, int adjusted_level) {
  const int max_level = MaxRiskLevel(m);
  if (adjusted_level < 1 || adjusted_level > max_level) {
    return InvalidFieldError(
        "adjusted_level", absl::StrFormat("must be between 1 and %d (M4), got %d",
                                          max_level, adjusted_level));
  }
  return absl::OkStatus();
}

absl::StatusOr<RiskScores> AdjustRiskLevel(const Methodology& m,
                                           const RiskScores& current,
                                           int adjusted_level,
                                           absl::string_view rationale) {
  if (!current.analysed()) {
    return RuleViolationError(
        absl::StatusCode::kFailedPrecondition, "M4",
        "the risk level cannot be adjusted before the risk is analysed");
  }
  FieldViolationCollector violations;
  violations.Merge(ValidateAdjustedLevel(m, adjusted_level), "adjusted_level");
  if (absl::StripAsciiWhitespace(rationale).empty()) {
    violations.Add("rationale",
                   "an adjusted risk level needs a written rationale (M4)");
  }
  if (!violations.empty()) return violations.ToStatus();
  RiskScores adjusted = current;
  adjusted.adjusted_level = adjusted_level;
  return adjusted;
}

std::vector<ScoreChange> DiffRiskScores(const RiskScores& before,
                                        const RiskScores& after) {
  std::vector<ScoreChange> changes;
  AddIfChanged(changes, "impact", before.impact, after.impact);
  AddIfChanged(changes, "likelihood", before.likelihood, after.likelihood);
  AddIfChanged(changes, "computed_level", before.computed_level,
               after.computed_level);
  AddIfChanged(changes, "adjusted_level", before.adjusted_level,
               after.adjusted_level);
  return changes;
}

std::vector<ScoreChange> DiffCategoryScores(
    const std::vector<CategoryScore>& before,
    const std::vector<CategoryScore>& after) {
  std::map<std::string, int> before_scores;
  for (const CategoryScore& s : before)
    before_scores.emplace(s.category, s.score);
  std::map<std::string, int> after_scores;
  for (const CategoryScore& s : after)
    after_scores.emplace(s.category, s.score);

  std::vector<ScoreChange> changes;
  for (const CategoryScore& s : after) {
    auto it = before_scores.find(s.category);
    AddIfChanged(changes, absl::StrCat(kCategoryFieldPrefix, s.category),
                 it == before_scores.end() ? 0 : it->second, s.score);
  }
  for (const CategoryScore& s : before) {
    if (after_scores.count(s.category) == 0) {
      AddIfChanged(changes, absl::StrCat(kCategoryFieldPrefix, s.category),
                   s.score, 0);
    }
  }
  return changes;
}

}  // namespace domain
}  // namespace riskledger
