// Decide and Evolve of the asset aggregate.
#include "services/domain/asset.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/base/status_details.h"
#include "services/base/status_macros.h"
#include "services/domain/component_usage.h"
#include "services/domain/field_changes.h"
#include "services/domain/methodology_ref.h"
#include "services/domain/risk_analysis.h"
#include "services/domain/score_changes.h"
#include "services/domain/screening.h"

namespace riskledger::domain {
namespace {

namespace ev = events::v1;

// The domain's view of category scores (any container of event scores).
template <typename Scores>
std::vector<CategoryScore> ToScores(const Scores& scores) {
  std::vector<CategoryScore> out;
  out.reserve(scores.size());
  for (const ev::CategoryScore& score : scores) {
    out.push_back({score.category(), score.score()});
  }
  return out;
}

struct Evolver {
  AssetAggregate::State& state;

  void operator()(const ev::AssetRegistered& event) const {
    *state.mutable_attributes() = event.attributes();
  }
  void operator()(const ev::AssetAttributesChanged& event) const {
    ApplyFieldChanges(event.fields(), event.values(),
                      *state.mutable_attributes());
  }
  void operator()(const ev::ImpactAnalysisRecorded& event) const {
    state.set_impact_analyses(event.number());
    *state.mutable_latest_scores() = event.scores();
  }
};

}  // namespace

AssetAggregate::State AssetAggregate::Evolve(State state, const Event& event) {
  std::visit(Evolver{state}, event);
  return state;
}

absl::StatusOr<AssetEvents> DecideRegisterAsset(
    const Current<state::v1::AssetState>& asset, absl::string_view asset_name,
    ev::AssetAttributes attributes) {
  if (asset.exists()) {
    return absl::AlreadyExistsError(
        absl::StrCat("asset '", asset_name, "' already exists"));
  }
  ev::AssetRegistered registered;
  *registered.mutable_attributes() = std::move(attributes);
  return AssetEvents{std::move(registered)};
}

std::vector<std::string> RemovedComponents(const ev::AssetAttributes& before,
                                           const ev::AssetAttributes& after) {
  std::set<std::string> kept;
  for (const ev::Component& component : after.components()) {
    kept.insert(component.name());
  }
  std::vector<std::string> removed;
  for (const ev::Component& component : before.components()) {
    if (kept.count(component.name()) == 0) removed.push_back(component.name());
  }
  return removed;
}

absl::StatusOr<AssetEvents> DecideChangeAsset(
    const state::v1::AssetState& asset,
    const state::v1::ComponentUsageState& usage, absl::string_view asset_name,
    const AssetChange& change) {
  for (const std::string& component :
       RemovedComponents(asset.attributes(), Changed(asset.attributes(), change))) {
    const std::vector<std::string> risks = RisksNaming(usage, component);
    if (!risks.empty()) {
      return RuleViolationError(
          absl::StatusCode::kFailedPrecondition, "M3",
          absl::StrCat("component '", component, "' of ", asset_name,
                       " is still named by risk ", risks.front(),
                       "; move that risk to another component first"));
    }
  }
  ev::AssetAttributesChanged changed;
  for (const std::string& field : change.fields) changed.add_fields(field);
  *changed.mutable_values() = change.values;
  return AssetEvents{std::move(changed)};
}

absl::StatusOr<AssetEvents> DecideRecordImpactAnalysis(
    const state::v1::AssetState& asset, const Methodology& m,
    const std::vector<ev::CategoryScore>& scores) {
  ASSIGN_OR_RETURN(ScreeningResult screening, ScreenImpact(m, ToScores(scores)));
  ev::ImpactAnalysisRecorded recorded;
  recorded.set_number(asset.impact_analyses() + 1);
  for (const ev::CategoryScore& score : scores) *recorded.add_scores() = score;
  ev::Screening& result = *recorded.mutable_screening();
  result.set_identification_required(screening.identification_required);
  result.set_mean_score(screening.mean_score);
  for (const std::string& category : screening.driving_categories) {
    result.add_driving_categories(category);
  }
  result.set_reason(screening.reason);
  *recorded.mutable_methodology() = RefOf(m);
  AppendScoreChanges(
      DiffCategoryScores(ToScores(asset.latest_scores()), ToScores(scores)),
      *recorded.mutable_changes());
  return AssetEvents{std::move(recorded)};
}

}  // namespace riskledger::domain
