// The M2 screening rule over a methodology's impact categories.
#include "services/domain/screening.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/base/status_details.h"
#include "services/domain/scoring.h"

namespace riskledger {
namespace domain {

absl::StatusOr<ScreeningResult> ScreenImpact(
    const Methodology& m, const std::vector<CategoryScore>& scores) {
  if (m.impact_categories.empty()) {
    return RuleViolationError(absl::StatusCode::kFailedPrecondition, "M2",
                              "the methodology defines no impact categories");
  }
  std::map<std::string, size_t> known;  // category id -> methodology index
  for (size_t i = 0; i < m.impact_categories.size(); ++i) {
    known.emplace(m.impact_categories[i].id, i);
  }

  FieldViolationCollector violations;
  // by_category[j] is the index in `scores` of category j, or -1.
  std::vector<int> by_category(m.impact_categories.size(), -1);
  for (size_t i = 0; i < scores.size(); ++i) {
    const CategoryScore& s = scores[i];
    const std::string category_field =
        absl::StrFormat("scores[%d].category", i);
    auto it = known.find(s.category);
    if (it == known.end()) {
      violations.Add(category_field,
                     absl::StrFormat("unknown impact category %s (M2)",
                                     EchoInput(s.category)));
    } else if (by_category[it->second] >= 0) {
      violations.Add(
          category_field,
          absl::StrFormat("duplicate impact category %s (also scores[%d])",
                          EchoInput(s.category), by_category[it->second]));
    } else {
      by_category[it->second] = static_cast<int>(i);
    }
    const std::string score_field = absl::StrFormat("scores[%d].score", i);
    violations.Merge(ValidateScore(m.impact, s.score, score_field),
                     score_field);
  }
  for (size_t j = 0; j < m.impact_categories.size(); ++j) {
    if (by_category[j] < 0) {
      violations.Add("scores", absl::StrFormat("missing category %s",
                                               m.impact_categories[j].id));
    }
  }
  if (!violations.empty()) return violations.ToStatus();

  const ScreeningRule& rule = m.screening;
  ScreeningResult result;
  int64_t sum = 0;
  std::vector<std::string> high;
  for (size_t j = 0; j < m.impact_categories.size(); ++j) {
    const int score = scores[by_category[j]].score;
    sum += score;
    if (score >= rule.high_score) high.push_back(m.impact_categories[j].id);
  }
  const double count = static_cast<double>(m.impact_categories.size());
  result.mean_score = static_cast<double>(sum) / count;
  // Compared on the sum so that a mean of exactly the threshold is not lost
  // to rounding.
  const bool mean_triggers =
      static_cast<double>(sum) >= rule.mean_threshold * count;

  const std::string mean_text = absl::StrFormat(
      "mean impact score %.2f is %s %g", result.mean_score,
      mean_triggers ? "at least" : "below", rule.mean_threshold);
  if (!mean_triggers && high.empty()) {
    result.identification_required = false;
    result.reason = absl::StrFormat(
        "Further risk identification is not required (M2): %s and no "
        "category scores %d or more.",
        mean_text, rule.high_score);
    return result;
  }
  result.identification_required = true;
  if (!high.empty()) {
    result.driving_categories = high;
    result.reason = absl::StrFormat(
        "Further risk identification is required (M2): %s %d or more "
        "(%s); %s.",
        high.size() == 1 ? "one category scores" : "categories score",
        rule.high_score, absl::StrJoin(high, ", "), mean_text);
  } else {
    for (const ImpactCategory& category : m.impact_categories) {
      result.driving_categories.push_back(category.id);
    }
    result.reason = absl::StrFormat(
        "Further risk identification is required (M2): %s, so all categories "
        "contribute.",
        mean_text);
  }
  return result;
}

}  // namespace domain
}  // namespace riskledger
