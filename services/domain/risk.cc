// Decide and Evolve of the risk aggregate.
#include "services/domain/risk.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "services/domain/field_changes.h"
#include "services/domain/methodology_ref.h"
#include "services/domain/score_changes.h"
#include "services/domain/scoring.h"

namespace riskledger::domain {
namespace {

namespace ev = events::v1;

struct Evolver {
  RiskAggregate::State& state;

  void operator()(const ev::RiskIdentified& event) const {
    state.set_risk_id(event.risk_id());
    state.set_asset(event.asset());
    *state.mutable_identification() = event.identification();
    state.set_status(event.status());
  }
  void operator()(const ev::RiskIdentificationChanged& event) const {
    ApplyFieldChanges(event.fields(), event.values(),
                      *state.mutable_identification());
  }
  void operator()(const ev::RiskAnalysed& event) const {
    *state.mutable_analysis() = event;
    state.mutable_analysis()->clear_changes();
    state.mutable_analysis()->clear_status_transition();
    state.set_adjusted_level(0);
    state.clear_adjustment_rationale();
    *state.mutable_evaluation() = event.evaluation();
    *state.mutable_methodology() = event.methodology();
    if (event.has_status_transition()) {
      state.set_status(event.status_transition().to());
    }
  }
  void operator()(const ev::RiskLevelAdjusted& event) const {
    state.set_adjusted_level(event.adjusted_level());
    state.set_adjustment_rationale(event.rationale());
    *state.mutable_evaluation() = event.evaluation();
    *state.mutable_methodology() = event.methodology();
  }
};

}  // namespace

RiskAggregate::State RiskAggregate::Evolve(State state, const Event& event) {
  std::visit(Evolver{state}, event);
  return state;
}

std::string RiskStatement(const ev::RiskIdentification& risk) {
  return absl::StrCat(risk.risk_factor(), " induces ", risk.risk_event(),
                      ", which causes ", risk.loss());
}

void CheckComponentOfAsset(const ev::AssetAttributes& asset,
                           absl::string_view asset_name,
                           absl::string_view component, absl::string_view field,
                           FieldViolationCollector& violations) {
  if (component.empty()) return;
  for (const ev::Component& known : asset.components()) {
    if (known.name() == component) return;
  }
  violations.Add(field, absl::StrCat("is not a component of ", asset_name, ": ",
                                     EchoInput(component)));
}

absl::StatusOr<RiskEvents> DecideIdentifyRisk(
    absl::string_view risk_id, absl::string_view asset_name,
    const ev::AssetAttributes& asset, ev::RiskIdentification identification) {
  FieldViolationCollector violations;
  CheckComponentOfAsset(asset, asset_name, identification.component(),
                        "risk.component", violations);
  RETURN_IF_ERROR(violations.ToStatus());
  ev::RiskIdentified identified;
  identified.set_risk_id(std::string(risk_id));
  identified.set_asset(std::string(asset_name));
  *identified.mutable_identification() = std::move(identification);
  identified.set_status(ev::RISK_STATUS_IDENTIFIED);
  return RiskEvents{std::move(identified)};
}

absl::StatusOr<RiskEvents> DecideChangeIdentification(
    const state::v1::RiskState& risk, const ev::AssetAttributes* asset,
    const RiskChange& change) {
  const std::string component =
      Changed(risk.identification(), change).component();
  if (component != risk.identification().component()) {
    if (asset == nullptr) {
      return absl::InternalError("a component change needs the risk's asset");
    }
    FieldViolationCollector violations;
    CheckComponentOfAsset(*asset, risk.asset(), component, "risk.component",
                          violations);
    RETURN_IF_ERROR(violations.ToStatus());
  }
  ev::RiskIdentificationChanged changed;
  for (const std::string& field : change.fields) changed.add_fields(field);
  *changed.mutable_values() = change.values;
  return RiskEvents{std::move(changed)};
}

RiskScores ScoresOf(const state::v1::RiskState& risk) {
  RiskScores scores;
  scores.impact = risk.analysis().impact();
  scores.likelihood = risk.analysis().likelihood();
  scores.computed_level = risk.analysis().computed_level();
  scores.adjusted_level = risk.adjusted_level();
  return scores;
}

ev::RiskEvaluation Evaluate(const Methodology& m, int level) {
  ev::RiskEvaluation evaluation;
  evaluation.set_level(level);
  if (const Band* band = BandForLevel(m, level); band != nullptr) {
    evaluation.set_band(band->id);
    evaluation.set_required_action(band->required_action);
    evaluation.set_review_interval_months(band->review_interval_months);
  }
  return evaluation;
}

absl::StatusOr<RiskEvents> DecideAnalyseRisk(const state::v1::RiskState& risk,
                                             const Methodology& m,
                                             const RiskScoring& scoring) {
  ASSIGN_OR_RETURN(RiskScores scores,
                   AnalyseRisk(m, scoring.impact, scoring.likelihood));
  ev::RiskAnalysed analysed;
  analysed.set_impact(scores.impact);
  analysed.set_likelihood(scores.likelihood);
  analysed.set_computed_level(scores.computed_level);
  analysed.set_impact_rationale(scoring.impact_rationale);
  analysed.set_likelihood_rationale(scoring.likelihood_rationale);
  for (ev::InformationSource source : scoring.information_sources) {
    analysed.add_information_sources(source);
  }
  analysed.set_uncertainty(scoring.uncertainty);
  *analysed.mutable_evaluation() = Evaluate(m, scores.effective_level());
  *analysed.mutable_methodology() = RefOf(m);
  AppendScoreChanges(DiffRiskScores(ScoresOf(risk), scores),
                     *analysed.mutable_changes());
  if (risk.status() == ev::RISK_STATUS_IDENTIFIED) {
    ev::StatusTransition& transition = *analysed.mutable_status_transition();
    transition.set_from(ev::RISK_STATUS_IDENTIFIED);
    transition.set_to(ev::RISK_STATUS_ANALYSED);
  }
  return RiskEvents{std::move(analysed)};
}

absl::StatusOr<RiskEvents> DecideAdjustRiskLevel(
    const state::v1::RiskState& risk, const Methodology& m, int adjusted_level,
    const std::string& rationale) {
  const RiskScores before = ScoresOf(risk);
  ASSIGN_OR_RETURN(RiskScores after,
                   AdjustRiskLevel(m, before, adjusted_level, rationale));
  ev::RiskLevelAdjusted adjusted;
  adjusted.set_adjusted_level(after.adjusted_level);
  adjusted.set_rationale(rationale);
  *adjusted.mutable_evaluation() = Evaluate(m, after.effective_level());
  *adjusted.mutable_methodology() = RefOf(m);
  AppendScoreChanges(DiffRiskScores(before, after),
                     *adjusted.mutable_changes());
  return RiskEvents{std::move(adjusted)};
}

}  // namespace riskledger::domain
