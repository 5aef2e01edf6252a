// The default methodology preset (T) and the consistency checks for any
// methodology a tenant defines.
#include "services/domain/methodology.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "services/base/status_details.h"

namespace riskledger {
namespace domain {

int Scale::min_score() const {
  if (levels.empty()) return 0;
  int result = levels.front().score;
  for (const ScaleLevel& level : levels) result = std::min(result, level.score);
  return result;
}

int Scale::max_score() const {
  if (levels.empty()) return 0;
  int result = levels.front().score;
  for (const ScaleLevel& level : levels) result = std::max(result, level.score);
  return result;
}

const ScaleLevel* Scale::Find(int score) const {
  for (const ScaleLevel& level : levels) {
    if (level.score == score) return &level;
  }
  return nullptr;
}

namespace {

// The default data below paraphrases T; the wording is ours.

Scale DefaultImpactScale() {
  return Scale{
      "impact",
      {
          {1, "negligible",
           "Operations are barely disturbed: a minor service is hindered, a "
           "handful of users notice, losses are minimal and no extra "
           "resources are needed. Only public information is involved, no "
           "personal data. Objectives are unaffected."},
          {2, "minor",
           "Several services are disturbed but the disruption is handled "
           "within one to three working days; 10-100 users complain; losses "
           "are small; regulators may ask questions. Internal information "
           "could leak, personal data is not at risk. Objectives are safe."},
          {3, "moderate",
           "Several services are disrupted for more than three working days; "
           "100-500 people are affected; losses up to about 50,000 EUR; a "
           "negative press article; regulators watch closely; legal "
           "disputes. Restricted data or personal data may be exposed. Extra "
           "resources are needed, objectives remain achievable."},
          {4, "major",
           "Critical and essential services are disrupted for more than three "
           "working days; 500-5,000 users are affected and criticise in "
           "public; losses up to about 100,000 EUR; repeated negative press; "
           "regulators ready to intervene; partial sanctions. Special "
           "categories of personal data or classified data are at risk. Core "
           "activities may stop and objectives be missed."},
          {5, "critical",
           "Critical services are down for more than a week; more than 5,000 "
           "users are affected and want to leave; losses above 100,000 EUR; "
           "wide negative press; court action and sanctions. The most "
           "critical data is exposed, destroyed or corrupted and a "
           "personal-data breach is highly likely. Recovery is very costly or "
           "impossible; objectives cannot be achieved."},
      }};
}

Scale DefaultLikelihoodScale() {
  return Scale{
      "likelihood",
      {
          {1, "highly unlikely",
           "Mostly theoretical; not expected to happen, less than once in ten "
           "years."},
          {2, "unlikely",
           "Could happen but real cases are rare; may occur within the next "
           "two to three years."},
          {3, "possible",
           "There are signs that it can happen; may occur within the next two "
           "to three years."},
          {4, "likely",
           "There are signs that it will happen; expected within the next "
           "year."},
          {5, "certain",
           "Has already happened or cannot be avoided; may occur within days "
           "or weeks."},
      }};
}

// Criteria span several concatenated literals; each criteria list holds
// exactly five (ValidateMethodology and the tests check the count), so the
// missing-comma heuristic is a false positive here.
// NOLINTBEGIN(bugprone-suspicious-missing-comma)
std::vector<ImpactCategory> DefaultImpactCategories() {
  return {
      {"achievement_of_objectives",
       "Achievement of objectives",
       "How far the organisation's objectives and core processes are put at "
       "risk.",
       {"Operations are slightly affected; objectives are met without extra "
        "resources.",
        "Operations are disrupted; objectives are met by moving resources "
        "internally without harming other objectives.",
        "Operations are disrupted; moving resources internally partly "
        "compromises the objectives.",
        "Operations are disrupted; objectives need substantial additional "
        "resources.",
        "Objectives cannot be met; core processes stop working."}},
      {"reputational_damage",
       "Reputational damage",
       "How the organisation's standing with users, partners, the public and "
       "regulators suffers.",
       {"Negative talk in a small group of customers; a few complaints.",
        "Negative talk among customers, partners or the public; regulators "
        "make enquiries.",
        "A negative media article; close regulatory interest; credibility is "
        "questioned.",
        "Repeated negative media coverage and open criticism by users; "
        "regulators may intervene; credibility clearly declines.",
        "Extensive negative media coverage; users want to leave; regulators "
        "intervene strongly; credibility collapses."}},
      {"affected_parties",
       "Affected parties",
       "How many users are affected.",
       {"1-10 users are affected.", "10-100 users are affected.",
        "100-500 users are affected.", "500-5,000 users are affected.",
        "More than 5,000 users are affected."}},
      {"legal_obligations",
       "Legal obligations",
       "The legal consequences of a breach of obligations.",
       {"At most a verbal warning.", "A warning in writing.",
        "An out-of-court dispute that the parties can still settle.",
        "An out-of-court dispute, settlement possible, with some sanctions.",
        "Court proceedings, litigation and sanctions."}},
      {"accompanying_costs",
       "Accompanying costs",
       "The money the incident and the recovery cost.",
       {"Up to 2,000 EUR.", "2,000-10,000 EUR.", "10,000-50,000 EUR.",
        "50,000-100,000 EUR.", "More than 100,000 EUR."}},
      {"availability",
       "Availability",
       "How long and how widely services are unavailable.",
       {"Individual minor services are disturbed or briefly interrupted; the "
        "organisation as a whole keeps working.",
        "Several services perform below expectations; disruptions are "
        "handled operationally without affecting the organisation as a "
        "whole.",
        "Several services are disrupted and not restored within three working "
        "days; several key processes are partly disrupted.",
        "Critical and essential services are disrupted and not restored "
        "within three working days; core activities are significantly "
        "disrupted.",
        "Critical services are disrupted for more than a week; core processes "
        "are severely affected."}},
      {"integrity",
       "Integrity",
       "How much the correctness of the data matters, and the change tracking "
       "it therefore needs.",
       {"Integrity is not a concern; no integrity checks or change logging "
        "are needed.",
        "Integrity matters; changes must be tracked.",
        "Integrity matters; every change is tracked with who made it, when, "
        "source and destination, request and response.",
        "Integrity is essential; every change is tracked with who made it, "
        "when, source and destination, request and response.",
        "Integrity is essential; full change tracking as for 4, plus "
        "cryptographic integrity checks and control processes confirming "
        "integrity."}},
      {"confidentiality",
       "Confidentiality",
       "How secret the information handled by the asset is.",
       {"Only information meant for the public.",
        "Information meant for internal use.",
        "Sensitive or restricted information, such as salaries.",
        "Special categories of personal data or secret information.",
        "The organisation's most critical secret information."}},
      {"privacy",
       "Privacy",
       "Whether personal data is processed and how likely a breach of it is.",
       {"No personal data is processed.",
        "Personal data is processed; a breach is unlikely.",
        "Personal data is processed; a breach is possible.",
        "Personal data is processed; a breach is likely.",
        "Personal data is processed; a breach is highly likely."}},
  };
}

// NOLINTEND(bugprone-suspicious-missing-comma)

// M5 Table 4 (not Table 3, whose cells 15 and 20 contradict it).
std::vector<Band> DefaultBands() {
  return {
      {"very_low", "Very low", 1, 4,
       "Accepted; monitored and reviewed at least once a year.", 12,
       AcceptanceAuthority::kRiskOwner, false, false},
      {"low", "Low", 5, 9,
       "Accepted; monitored and reviewed at least once a year.", 12,
       AcceptanceAuthority::kRiskOwner, false, false},
      // M7 lists both "Medium (10-14) accepted: owner's written justification
      // required" and "outside criteria (level >= 10): justification plus
      // approval by top management". The band records the Table 4 / M7
      // medium authority (the owner, with a written justification);
      // acceptance_level_threshold records where the M7 criteria end, and
      // the acceptance workflow combines both.
      {"medium", "Medium", 10, 14,
       "Address when possible. The risk owner may accept it only with a "
       "written justification. Reviewed at least once a year.",
       12, AcceptanceAuthority::kRiskOwnerWithJustification, false, false},
      {"high", "High", 15, 19,
       "Must be addressed: the risk owner prepares a treatment (action) plan. "
       "Reviewed at least every 6 months.",
       6, AcceptanceAuthority::kTopManagement, true, false},
      // Critical also needs measures (the owner proposes them to top
      // management), hence requires_treatment_plan.
      {"critical", "Critical", 20, 25,
       "Needs an immediate decision by top management: the risk owner "
       "informs them, explains the risk and proposes measures. Reviewed and "
       "acted on by the deadlines that decision sets.",
       0, AcceptanceAuthority::kTopManagement, true, true},
  };
}

Methodology BuildDefaultMethodology() {
  Methodology m;
  m.id = kDefaultMethodologyId;
  m.version = 1;
  m.display_name = "TalTech information security risk management (default)";
  m.source =
      "TalTech, Guidelines for information security risk management: "
      "Table 1 (impact), Table 2 (likelihood), Table 4 (risk thresholds and "
      "actions), Annex 1 (impact analysis)";
  m.impact = DefaultImpactScale();
  m.likelihood = DefaultLikelihoodScale();
  m.impact_categories = DefaultImpactCategories();
  m.bands = DefaultBands();
  // M2: not required iff mean < 3 and no category scores 4 or 5.
  m.screening = ScreeningRule{3.0, 4};
  // M7: within criteria when level < 10.
  m.acceptance_level_threshold = 10;
  return m;
}

bool IsBlank(absl::string_view s) {
  return absl::StripAsciiWhitespace(s).empty();
}

bool IsSnakeCaseId(absl::string_view id) {
  if (id.empty() || !absl::ascii_islower(static_cast<unsigned char>(id[0]))) {
    return false;
  }
  for (char c : id) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!absl::ascii_islower(u) && !absl::ascii_isdigit(u) && c != '_') {
      return false;
    }
  }
  return true;
}

// Checks one scale; violations are reported under `path` ("impact").
void ValidateScale(const Scale& scale, absl::string_view path,
                   FieldViolationCollector& violations) {
  if (scale.levels.empty()) {
    violations.Add(absl::StrFormat("%s.levels", path),
                   "a scale needs at least one level (M1)");
    return;
  }
  for (size_t i = 0; i < scale.levels.size(); ++i) {
    const ScaleLevel& level = scale.levels[i];
    const int expected = static_cast<int>(i) + 1;
    if (level.score != expected) {
      violations.Add(
          absl::StrFormat("%s.levels[%d].score", path, i),
          absl::StrFormat("scores must run 1, 2, 3... without gaps (M1): "
                          "expected %d, got %d",
                          expected, level.score));
    }
    if (IsBlank(level.name)) {
      violations.Add(absl::StrFormat("%s.levels[%d].name", path, i),
                     "every score needs a name (M1)");
    }
    if (IsBlank(level.criterion)) {
      violations.Add(absl::StrFormat("%s.levels[%d].criterion", path, i),
                     "every score needs a criterion text (M1)");
    }
  }
}

void ValidateCategories(const Methodology& m,
                        FieldViolationCollector& violations) {
  if (m.impact_categories.empty()) {
    violations.Add("impact_categories",
                   "at least one impact category is required (M2)");
    return;
  }
  const size_t criteria_count = static_cast<size_t>(m.impact.max_score());
  std::map<std::string, size_t> first_index;
  for (size_t i = 0; i < m.impact_categories.size(); ++i) {
    const ImpactCategory& category = m.impact_categories[i];
    if (!IsSnakeCaseId(category.id)) {
      violations.Add(absl::StrFormat("impact_categories[%d].id", i),
                     absl::StrFormat("must be a non-empty snake_case id "
                                     "([a-z][a-z0-9_]*), got \"%s\"",
                                     category.id));
    } else {
      auto [it, inserted] = first_index.emplace(category.id, i);
      if (!inserted) {
        violations.Add(
            absl::StrFormat("impact_categories[%d].id", i),
            absl::StrFormat("duplicate id \"%s\" (also impact_categories[%d])",
                            category.id, it->second));
      }
    }
    if (IsBlank(category.name)) {
      violations.Add(absl::StrFormat("impact_categories[%d].name", i),
                     "every category needs a name (M2)");
    }
    if (category.criteria.size() != criteria_count) {
      violations.Add(
          absl::StrFormat("impact_categories[%d].criteria", i),
          absl::StrFormat("needs one criterion per impact score (%d), got %d",
                          criteria_count, category.criteria.size()));
    }
    for (size_t j = 0; j < category.criteria.size(); ++j) {
      if (IsBlank(category.criteria[j])) {
        violations.Add(
            absl::StrFormat("impact_categories[%d].criteria[%d]", i, j),
            "criterion text must not be empty (M2)");
      }
    }
  }
}

void ValidateBands(const Methodology& m, int max_level,
                   FieldViolationCollector& violations) {
  if (m.bands.empty()) {
    violations.Add("bands", "at least one band is required (M5)");
    return;
  }
  std::map<std::string, size_t> first_index;
  // The first level the next band must start at.
  int next_level = 1;
  for (size_t i = 0; i < m.bands.size(); ++i) {
    const Band& band = m.bands[i];
    if (IsBlank(band.id)) {
      violations.Add(absl::StrFormat("bands[%d].id", i),
                     "every band needs an id (M5)");
    } else {
      auto [it, inserted] = first_index.emplace(band.id, i);
      if (!inserted) {
        violations.Add(absl::StrFormat("bands[%d].id", i),
                       absl::StrFormat("duplicate id \"%s\" (also bands[%d])",
                                       band.id, it->second));
      }
    }
    if (IsBlank(band.name)) {
      violations.Add(absl::StrFormat("bands[%d].name", i),
                     "every band needs a name (M5)");
    }
    if (band.min_level > next_level) {
      violations.Add(absl::StrFormat("bands[%d].min_level", i),
                     absl::StrFormat("gap: levels %d..%d fall in no band (M5)",
                                     next_level, band.min_level - 1));
    } else if (band.min_level < next_level) {
      violations.Add(
          absl::StrFormat("bands[%d].min_level", i),
          i == 0 ? absl::StrFormat("the first band must start at level 1, "
                                   "got %d (M5)",
                                   band.min_level)
                 : absl::StrFormat("overlaps bands[%d], which ends at level "
                                   "%d; bands must be ascending (M5)",
                                   i - 1, next_level - 1));
    }
    if (band.max_level < band.min_level) {
      violations.Add(absl::StrFormat("bands[%d].max_level", i),
                     absl::StrFormat("must not be below min_level %d, got %d",
                                     band.min_level, band.max_level));
    } else if (band.max_level > max_level) {
      violations.Add(absl::StrFormat("bands[%d].max_level", i),
                     absl::StrFormat("exceeds the highest risk level %d "
                                     "(impact max x likelihood max), got %d",
                                     max_level, band.max_level));
    }
    if (band.review_interval_months < 0) {
      violations.Add(absl::StrFormat("bands[%d].review_interval_months", i),
                     absl::StrFormat("must not be negative, got %d",
                                     band.review_interval_months));
    } else if (band.review_interval_months == 0 &&
               !band.requires_top_management_decision) {
      violations.Add(
          absl::StrFormat("bands[%d].review_interval_months", i),
          "0 (deadlines set by a top-management decision) is only allowed "
          "when the band requires a top-management decision (M5, M9)");
    }
    next_level = std::max(next_level, band.max_level + 1);
  }
  const size_t last = m.bands.size() - 1;
  if (m.bands[last].max_level >= m.bands[last].min_level &&
      m.bands[last].max_level < max_level) {
    violations.Add(absl::StrFormat("bands[%d].max_level", last),
                   absl::StrFormat("gap: levels %d..%d fall in no band (M5)",
                                   m.bands[last].max_level + 1, max_level));
  }
}

}  // namespace

const Methodology& DefaultMethodology() {
  static const Methodology* const kDefault =
      new Methodology(BuildDefaultMethodology());
  return *kDefault;
}

absl::Status ValidateMethodology(const Methodology& m) {
  FieldViolationCollector violations;
  ValidateScale(m.impact, "impact", violations);
  ValidateScale(m.likelihood, "likelihood", violations);
  // Everything below is measured against the scales.
  if (!violations.empty()) return violations.ToStatus();

  const int max_level = m.impact.max_score() * m.likelihood.max_score();
  ValidateCategories(m, violations);
  ValidateBands(m, max_level, violations);

  const int impact_min = m.impact.min_score();
  const int impact_max = m.impact.max_score();
  // Written as a negation so that NaN is rejected too.
  if (!(m.screening.mean_threshold >= impact_min &&
        m.screening.mean_threshold <= impact_max)) {
    violations.Add(
        "screening.mean_threshold",
        absl::StrFormat("must lie within the impact scale %d..%d (M2), got %g",
                        impact_min, impact_max, m.screening.mean_threshold));
  }
  if (m.screening.high_score < impact_min ||
      m.screening.high_score > impact_max) {
    violations.Add(
        "screening.high_score",
        absl::StrFormat("must lie within the impact scale %d..%d (M2), got %d",
                        impact_min, impact_max, m.screening.high_score));
  }
  if (m.acceptance_level_threshold < 1 ||
      m.acceptance_level_threshold > max_level) {
    violations.Add("acceptance_level_threshold",
                   absl::StrFormat("must lie within 1..%d (M7), got %d",
                                   max_level, m.acceptance_level_threshold));
  }
  return violations.ToStatus();
}

}  // namespace domain
}  // namespace riskledger
