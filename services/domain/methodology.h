// The risk methodology as data (M1, M2, M5, M7): scales, impact categories,
// bands, screening rule and acceptance threshold, plus the default preset.
#ifndef RISKLEDGER_SERVICES_DOMAIN_METHODOLOGY_H_
#define RISKLEDGER_SERVICES_DOMAIN_METHODOLOGY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace riskledger {
namespace domain {

// The resource id of the preset returned by DefaultMethodology(); its
// resource name is "tenants/{tenant}/methodologies/default".
inline constexpr char kDefaultMethodologyId[] = "default";

// One score of a scale (M1): its number, its name ("minor") and a short
// criterion text telling an assessor when to pick it.
struct ScaleLevel {
  int score = 0;
  std::string name;
  std::string criterion;
};

// An ordinal scoring scale (M1). A valid scale (see ValidateMethodology) holds
// the scores 1..N in ascending order, each with a name and a criterion.
struct Scale {
  std::string name;
  std::vector<ScaleLevel> levels;

  // The smallest / largest score among `levels`; 0 when there are none.
  int min_score() const;
  int max_score() const;
  // The level with `score`, or nullptr when the scale has none. The pointer
  // is valid as long as `levels` is not modified.
  const ScaleLevel* Find(int score) const;
};

// One impact-analysis category of an asset (M2, T Annex 1).
struct ImpactCategory {
  // Stable snake_case id, e.g. "affected_parties"; used in field paths such as
  // "impact_categories.affected_parties" and never renamed.
  std::string id;
  std::string name;
  std::string description;
  // criteria[i] describes score i + 1 of the impact scale, so a valid
  // category has exactly impact.max_score() criteria.
  std::vector<std::string> criteria;
};

// Who may accept a risk of a band (M7, M12).
enum class AcceptanceAuthority {
  // The risk owner alone (within the acceptance criteria).
  kRiskOwner,
  // The risk owner, with a written justification on record.
  kRiskOwnerWithJustification,
  // Top management must approve (or decide on) the acceptance.
  kTopManagement,
};

// A contiguous range of risk levels and what the methodology demands for a
// risk in it (M5 Table 4, M7).
struct Band {
  // Stable id: "very_low", "low", "medium", "high", "critical" by default.
  std::string id;
  std::string name;
  // Inclusive level range.
  int min_level = 0;
  int max_level = 0;
  // What must be done about a risk in this band, for people to read.
  std::string required_action;
  // Longest allowed time between reviews (M9). 0 means: set by the deadlines
  // of the top-management decision (only valid when
  // requires_top_management_decision is true).
  int review_interval_months = 0;
  AcceptanceAuthority acceptance_authority = AcceptanceAuthority::kRiskOwner;
  // The risk owner must prepare a treatment (action) plan (M8).
  bool requires_treatment_plan = false;
  // A recorded top-management decision with deadlines is required (M7).
  bool requires_top_management_decision = false;
};

// The M2 screening rule: further risk identification for an asset is not
// required iff the mean category score is below `mean_threshold` and no
// category scores `high_score` or more.
struct ScreeningRule {
  double mean_threshold = 0.0;
  int high_score = 0;
};

// A complete, versioned methodology. Plain data: code reads every threshold
// from here and never hard-codes the default's numbers.
struct Methodology {
  // Resource id, as in "tenants/{tenant}/methodologies/{id}".
  std::string id;
  int version = 0;
  std::string display_name;
  // Where the data comes from (document and tables), for people to read.
  std::string source;
  Scale impact;
  Scale likelihood;
  // In presentation order; screening reports driving categories in it.
  std::vector<ImpactCategory> impact_categories;
  // Ascending, contiguous, covering 1..impact.max * likelihood.max (M5).
  std::vector<Band> bands;
  ScreeningRule screening;
  // M7: a risk whose level is below this is within the acceptance criteria
  // and may be accepted by its owner; at or above it, acceptance is outside
  // the criteria.
  int acceptance_level_threshold = 0;
};

// The default preset following T (TalTech guidelines: Tables 1, 2, 4 and
// Annex 1), id kDefaultMethodologyId, version 1. Built once on first use;
// the reference stays valid for the life of the process and is thread-safe.
const Methodology& DefaultMethodology();

// OK when `m` is internally consistent, otherwise INVALID_ARGUMENT naming
// every offending element by its path (e.g. "bands[2].min_level"):
// - each scale is non-empty and holds scores 1..N in order, each with a name
//   and a criterion (a bad scale stops validation, as the rest depends on it);
// - impact categories: at least one, ids non-empty snake_case and unique,
//   names non-empty, exactly impact.max_score() non-empty criteria;
// - bands: non-empty ids (unique) and names, min_level <= max_level, in
//   ascending order without gaps or overlaps, covering exactly
//   1..impact.max_score() * likelihood.max_score(); review_interval_months
//   >= 0, and 0 only when a top-management decision sets the deadlines;
// - screening.mean_threshold and screening.high_score within the impact scale;
// - acceptance_level_threshold within 1..maximum risk level.
// id, version, display_name and source are not checked here.
absl::Status ValidateMethodology(const Methodology& m);

}  // namespace domain
}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_DOMAIN_METHODOLOGY_H_
