// AssessmentProjector: each read model is rendered from its stream's
// aggregate state (the facts) plus the envelope (times, etag, principal), and
// merged into the stored model so that fields other projectors own survive.
#include "services/assessment/assessment_projector.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/assessment/event_mapping.h"
#include "services/assessment/projection_keys.h"
#include "services/base/status_macros.h"
#include "services/common/aggregate_snapshot.h"
#include "services/common/decoded_model.h"
#include "services/common/etag.h"
#include "services/common/proto_time.h"
#include "services/domain/asset.h"
#include "services/domain/risk.h"

namespace riskledger::assessment {
namespace {

namespace ev = events::v1;
using storage::EventEnvelope;
using storage::ProjectionTable;
using storage::ProjectionView;

// The stored read model at `key` that `event` changes: an empty one for the
// first event of its stream, DATA_LOSS when a later event finds none. The
// caller puts it back (PutModel).
template <typename Model>
absl::StatusOr<Model> ModelFor(const EventEnvelope& event, ProjectionView& view,
                               const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<Model> model,
                   TakeModel<Model>(view, ProjectionTable::kState, key));
  if (event.stream_version > 1 && (!model.has_value() || model->name().empty())) {
    return absl::DataLossError(absl::StrCat(
        event.type, " of ", event.stream_id, " refers to a missing read model"));
  }
  return model.has_value() ? *std::move(model) : Model();
}

// The state the registry folded for the event's stream (`parsed` holds it
// when the view keeps none decoded).
template <typename Aggregate>
absl::StatusOr<const typename Aggregate::State*> StateOf(
    const EventEnvelope& event, ProjectionView& view,
    domain::Current<typename Aggregate::State>& parsed) {
  ASSIGN_OR_RETURN(const auto* current,
                   ReadSnapshot(view, event.stream_id, parsed));
  if (current->version != event.stream_version) {
    return absl::InternalError(absl::StrCat(
        "state of ", event.stream_id, " was not evolved before projecting"));
  }
  return &current->state;
}

// etag and update_time follow the stream: the etag is its version.
template <typename Resource>
void Stamp(const EventEnvelope& event, Resource& resource) {
  if (event.stream_version == 1) {
    *resource.mutable_create_time() = ToProtoTimestamp(event.time);
  }
  *resource.mutable_update_time() = ToProtoTimestamp(event.time);
  resource.set_etag(FormatEtag(event.stream_version));
}

std::string TenantOf(absl::string_view resource_name) {
  // "tenants/{t}/..." -> "tenants/{t}"
  size_t slash = resource_name.find('/', resource_name.find('/') + 1);
  return std::string(resource_name.substr(0, slash));
}

std::string MethodologyNameOf(absl::string_view resource_name,
                              const ev::MethodologyRef& ref) {
  return absl::StrCat(TenantOf(resource_name), "/methodologies/", ref.id());
}

v1::ImpactAnalysis RenderImpactAnalysis(const EventEnvelope& event,
                                        const ev::ImpactAnalysisRecorded& e) {
  v1::ImpactAnalysis analysis;
  analysis.set_name(ImpactAnalysisName(event.stream_id, e.number()));
  for (const ev::CategoryScore& score : e.scores()) {
    *analysis.add_scores() = ToApi(score);
  }
  v1::ScreeningResult& screening = *analysis.mutable_screening();
  screening.set_identification_required(e.screening().identification_required());
  screening.set_mean_score(e.screening().mean_score());
  *screening.mutable_driving_categories() = e.screening().driving_categories();
  screening.set_reason(e.screening().reason());
  analysis.set_methodology(MethodologyNameOf(event.stream_id, e.methodology()));
  analysis.set_methodology_version(e.methodology().version());
  analysis.set_justification(event.justification);
  *analysis.mutable_create_time() = ToProtoTimestamp(event.time);
  analysis.set_principal(event.principal);
  return analysis;
}

absl::Status ProjectAsset(const EventEnvelope& event,
                          const google::protobuf::Message& payload,
                          ProjectionView& view) {
  domain::Current<domain::AssetAggregate::State> parsed;
  ASSIGN_OR_RETURN(const auto* state,
                   StateOf<domain::AssetAggregate>(event, view, parsed));
  const std::string key = AssetKey(event.stream_id);
  ASSIGN_OR_RETURN(v1::Asset asset, ModelFor<v1::Asset>(event, view, key));
  asset.set_name(event.stream_id);
  SetAttributes(state->attributes(), asset);
  if (const auto* recorded =
          dynamic_cast<const ev::ImpactAnalysisRecorded*>(&payload)) {
    v1::ImpactAnalysis analysis = RenderImpactAnalysis(event, *recorded);
    view.Put(ProjectionTable::kState,
             ImpactAnalysisKey(event.stream_id, recorded->number()),
             analysis.SerializeAsString());
    *asset.mutable_latest_impact_analysis() = std::move(analysis);
  }
  Stamp(event, asset);
  PutModel(view, ProjectionTable::kState, key, std::move(asset));
  return absl::OkStatus();
}

void RenderRisk(const domain::RiskAggregate::State& state, v1::Risk& risk) {
  risk.set_risk_id(state.risk_id());
  risk.set_asset(state.asset());
  SetIdentification(state.identification(), risk);
  risk.set_risk_statement(domain::RiskStatement(state.identification()));
  risk.set_status(ToApi(state.status()));
  if (!state.has_analysis()) {
    risk.clear_analysis();
    return;
  }
  const ev::RiskAnalysed& scored = state.analysis();
  v1::RiskAnalysis& analysis = *risk.mutable_analysis();
  analysis.set_impact(scored.impact());
  analysis.set_likelihood(scored.likelihood());
  analysis.set_impact_rationale(scored.impact_rationale());
  analysis.set_likelihood_rationale(scored.likelihood_rationale());
  analysis.clear_information_sources();
  for (int source : scored.information_sources()) {
    analysis.add_information_sources(static_cast<v1::InformationSource>(source));
  }
  analysis.set_uncertainty(scored.uncertainty());
  analysis.set_computed_level(scored.computed_level());
  analysis.set_adjusted_level(state.adjusted_level());
  analysis.set_adjustment_rationale(state.adjustment_rationale());
  analysis.set_level(state.evaluation().level());
  analysis.set_band(state.evaluation().band());
  analysis.set_required_action(state.evaluation().required_action());
  analysis.set_review_interval_months(
      state.evaluation().review_interval_months());
  analysis.set_methodology(MethodologyNameOf(state.asset(), state.methodology()));
  analysis.set_methodology_version(state.methodology().version());
}

absl::Status ProjectRisk(const EventEnvelope& event,
                         const google::protobuf::Message& payload,
                         ProjectionView& view) {
  domain::Current<domain::RiskAggregate::State> parsed;
  ASSIGN_OR_RETURN(const auto* state,
                   StateOf<domain::RiskAggregate>(event, view, parsed));
  const std::string key = RiskKey(event.stream_id);
  ASSIGN_OR_RETURN(v1::Risk risk, ModelFor<v1::Risk>(event, view, key));
  const std::string tenant = TenantOf(event.stream_id);
  if (event.stream_version > 1) {
    view.Delete(ProjectionTable::kIndex, PriorityKey(tenant, risk));
  }
  risk.set_name(event.stream_id);
  RenderRisk(*state, risk);
  if (dynamic_cast<const ev::RiskAnalysed*>(&payload) != nullptr) {
    *risk.mutable_analysis()->mutable_analyse_time() =
        ToProtoTimestamp(event.time);
  }
  Stamp(event, risk);
  // M6: the priority index holds risk names in priority order.
  view.Put(ProjectionTable::kIndex, PriorityKey(tenant, risk), risk.name());
  PutModel(view, ProjectionTable::kState, key, std::move(risk));
  return absl::OkStatus();
}

}  // namespace

absl::Status AssessmentProjector::Apply(const EventEnvelope& envelope,
                                        const google::protobuf::Message& event,
                                        ProjectionView& view) const {
  const google::protobuf::Descriptor* type = event.GetDescriptor();
  if (type == ev::AssetRegistered::descriptor() ||
      type == ev::AssetAttributesChanged::descriptor() ||
      type == ev::ImpactAnalysisRecorded::descriptor()) {
    return ProjectAsset(envelope, event, view);
  }
  if (type == ev::RiskIdentified::descriptor() ||
      type == ev::RiskIdentificationChanged::descriptor() ||
      type == ev::RiskAnalysed::descriptor() ||
      type == ev::RiskLevelAdjusted::descriptor()) {
    return ProjectRisk(envelope, event, view);
  }
  // Risk-id sequences and component usage have no read model beyond their
  // aggregate state; other services' events belong to their projectors.
  return absl::OkStatus();
}

}  // namespace riskledger::assessment
