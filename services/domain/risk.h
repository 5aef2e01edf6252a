// The risk aggregate (M3, M4, M5): identification, changes to it, analysis
// and level adjustment of one risk, on the stream "tenants/{t}/risks/{id}".
// Every status change is recorded in the event of the decision that makes it
// (RiskIdentified.status, RiskAnalysed.status_transition); Evolve never
// infers one.
#ifndef RISKLEDGER_SERVICES_DOMAIN_RISK_H_
#define RISKLEDGER_SERVICES_DOMAIN_RISK_H_

#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "riskledger/state/v1/assessment_state.pb.h"
#include "services/base/status_details.h"
#include "services/domain/field_changes.h"
#include "services/domain/methodology.h"
#include "services/domain/risk_analysis.h"

namespace riskledger::domain {

struct RiskAggregate {
  using State = state::v1::RiskState;
  using Event = std::variant<events::v1::RiskIdentified,
                             events::v1::RiskIdentificationChanged,
                             events::v1::RiskAnalysed,
                             events::v1::RiskLevelAdjusted>;
  static State Evolve(State state, const Event& event);
};

using RiskEvents = std::vector<RiskAggregate::Event>;

// M3: "<risk factor> induces <risk event>, which causes <loss>".
std::string RiskStatement(const events::v1::RiskIdentification& risk);

// M3: a risk names one of its asset's components, or none. Records a
// violation of `field` otherwise.
void CheckComponentOfAsset(const events::v1::AssetAttributes& asset,
                           absl::string_view asset_name,
                           absl::string_view component, absl::string_view field,
                           FieldViolationCollector& violations);

// M3: risk `risk_id` of `asset_name` (whose attributes are `asset`) enters
// the register, identified. INVALID_ARGUMENT on "risk.component" when it
// names a component the asset does not have.
absl::StatusOr<RiskEvents> DecideIdentifyRisk(
    absl::string_view risk_id, absl::string_view asset_name,
    const events::v1::AssetAttributes& asset,
    events::v1::RiskIdentification identification);

// A change of some identification fields (field_changes.h).
using RiskChange = FieldChange<events::v1::RiskIdentification>;

// M3: records `change` of `risk`. When it changes the component, `asset`
// must be the risk's asset, and the new component one of its components
// (INVALID_ARGUMENT on "risk.component" otherwise).
absl::StatusOr<RiskEvents> DecideChangeIdentification(
    const state::v1::RiskState& risk, const events::v1::AssetAttributes* asset,
    const RiskChange& change);

// What an analysis scores and why (M4).
struct RiskScoring {
  int impact = 0;
  int likelihood = 0;
  std::string impact_rationale;
  std::string likelihood_rationale;
  std::vector<events::v1::InformationSource> information_sources;
  std::string uncertainty;
};

// The scores of `risk`; all zero before the first analysis.
RiskScores ScoresOf(const state::v1::RiskState& risk);

// M5: the level and what its band of `m` requires.
events::v1::RiskEvaluation Evaluate(const Methodology& m, int level);

// M4/M5: scores `risk` with `scoring` (INVALID_ARGUMENT naming "impact" or
// "likelihood" off their scales), evaluates the level, drops an earlier
// adjustment, records every changed score (M14), and moves an identified risk
// to analysed.
absl::StatusOr<RiskEvents> DecideAnalyseRisk(const state::v1::RiskState& risk,
                                             const Methodology& m,
                                             const RiskScoring& scoring);

// M4: adjusts the level of an analysed `risk` (FAILED_PRECONDITION M4 before
// any analysis), with the written rationale M4 requires; records the changed
// scores (M14) and the evaluation of the adjusted level.
absl::StatusOr<RiskEvents> DecideAdjustRiskLevel(
    const state::v1::RiskState& risk, const Methodology& m, int adjusted_level,
    const std::string& rationale);

}  // namespace riskledger::domain

#endif  // RISKLEDGER_SERVICES_DOMAIN_RISK_H_
