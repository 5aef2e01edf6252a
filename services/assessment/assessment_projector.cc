// AssessmentProjector: one function per event type, each a pure update of the
// read models from the event and the models' previous values.
#include "services/assessment/assessment_projector.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "riskledger/v1/audit_events.pb.h"
#include "services/assessment/event_types.h"
#include "services/assessment/projection_keys.h"
#include "services/base/status_macros.h"
#include "services/common/etag.h"
#include "services/common/proto_time.h"

namespace riskledger::assessment {
namespace {

using storage::EventEnvelope;
using storage::ProjectionTable;
using storage::ProjectionView;

template <typename Message>
absl::StatusOr<Message> ParsePayload(const EventEnvelope& event) {
  Message message;
  if (!message.ParseFromString(event.payload)) {
    return absl::DataLossError(absl::StrCat(
        "cannot parse ", event.type, " payload of stream ", event.stream_id));
  }
  return message;
}

template <typename Message>
absl::StatusOr<Message> Load(ProjectionView& view, const std::string& key,
                             const EventEnvelope& event) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                   view.Get(ProjectionTable::kState, key));
  Message message;
  if (!bytes.has_value() || !message.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat(event.type, " of stream ",
                                            event.stream_id,
                                            " refers to a missing read model"));
  }
  return message;
}

// etag and update_time follow the stream: the etag is its version.
template <typename Resource>
void Stamp(const EventEnvelope& event, Resource& resource) {
  *resource.mutable_update_time() = ToProtoTimestamp(event.time);
  resource.set_etag(FormatEtag(event.stream_version));
}

std::string TenantOf(absl::string_view resource_name) {
  // "tenants/{t}/..." -> "tenants/{t}"
  size_t slash = resource_name.find('/', resource_name.find('/') + 1);
  return std::string(resource_name.substr(0, slash));
}

void PutRisk(const v1::Risk& risk, ProjectionView& view) {
  view.Put(ProjectionTable::kState, RiskKey(risk.name()),
           risk.SerializeAsString());
  view.Put(ProjectionTable::kIndex, PriorityKey(TenantOf(risk.name()), risk),
           risk.name());
}

void RemoveRiskFromIndex(const v1::Risk& risk, ProjectionView& view) {
  view.Delete(ProjectionTable::kIndex,
              PriorityKey(TenantOf(risk.name()), risk));
}

absl::Status ApplyAssetCreated(const EventEnvelope& event,
                               ProjectionView& view) {
  ASSIGN_OR_RETURN(v1::AssetCreated created,
                   ParsePayload<v1::AssetCreated>(event));
  v1::Asset asset = created.asset();
  asset.set_name(event.stream_id);
  *asset.mutable_create_time() = ToProtoTimestamp(event.time);
  Stamp(event, asset);
  view.Put(ProjectionTable::kState, AssetKey(event.stream_id),
           asset.SerializeAsString());
  return absl::OkStatus();
}

absl::Status ApplyAssetUpdated(const EventEnvelope& event,
                               ProjectionView& view) {
  ASSIGN_OR_RETURN(v1::AssetUpdated updated,
                   ParsePayload<v1::AssetUpdated>(event));
  v1::Asset asset = updated.after();
  Stamp(event, asset);
  view.Put(ProjectionTable::kState, AssetKey(event.stream_id),
           asset.SerializeAsString());
  return absl::OkStatus();
}

absl::Status ApplyImpactAnalysisRecorded(const EventEnvelope& event,
                                         ProjectionView& view) {
  ASSIGN_OR_RETURN(v1::ImpactAnalysisRecorded recorded,
                   ParsePayload<v1::ImpactAnalysisRecorded>(event));
  ASSIGN_OR_RETURN(v1::Asset asset,
                   Load<v1::Asset>(view, AssetKey(event.stream_id), event));
  v1::ImpactAnalysis analysis = recorded.analysis();
  *analysis.mutable_create_time() = ToProtoTimestamp(event.time);
  view.Put(
      ProjectionTable::kState,
      ImpactAnalysisKey(event.stream_id, ImpactAnalysisNumber(analysis.name())),
      analysis.SerializeAsString());
  *asset.mutable_latest_impact_analysis() = std::move(analysis);
  Stamp(event, asset);
  view.Put(ProjectionTable::kState, AssetKey(event.stream_id),
           asset.SerializeAsString());
  return absl::OkStatus();
}

absl::Status ApplyRiskCreated(const EventEnvelope& event,
                              ProjectionView& view) {
  ASSIGN_OR_RETURN(v1::RiskCreated created,
                   ParsePayload<v1::RiskCreated>(event));
  v1::Risk risk = created.risk();
  risk.set_name(event.stream_id);
  *risk.mutable_create_time() = ToProtoTimestamp(event.time);
  Stamp(event, risk);
  PutRisk(risk, view);
  return absl::OkStatus();
}

absl::Status ApplyRiskUpdated(const EventEnvelope& event,
                              ProjectionView& view) {
  ASSIGN_OR_RETURN(v1::RiskUpdated updated,
                   ParsePayload<v1::RiskUpdated>(event));
  ASSIGN_OR_RETURN(v1::Risk current,
                   Load<v1::Risk>(view, RiskKey(event.stream_id), event));
  RemoveRiskFromIndex(current, view);
  v1::Risk risk = updated.after();
  Stamp(event, risk);
  PutRisk(risk, view);
  return absl::OkStatus();
}

// RiskAnalysed and RiskLevelAdjusted both replace the analysis (M4).
template <typename Event>
absl::Status ApplyRiskAnalysis(const EventEnvelope& event,
                               ProjectionView& view) {
  ASSIGN_OR_RETURN(Event scored, ParsePayload<Event>(event));
  ASSIGN_OR_RETURN(v1::Risk risk,
                   Load<v1::Risk>(view, RiskKey(event.stream_id), event));
  RemoveRiskFromIndex(risk, view);
  *risk.mutable_analysis() = scored.analysis();
  if (risk.status() == v1::RISK_STATUS_IDENTIFIED) {
    risk.set_status(v1::RISK_STATUS_ANALYSED);
  }
  Stamp(event, risk);
  PutRisk(risk, view);
  return absl::OkStatus();
}

}  // namespace

absl::Status AssessmentProjector::Apply(const EventEnvelope& event,
                                        ProjectionView& view) const {
  const std::string& type = event.type;
  if (type == kAssetCreated) return ApplyAssetCreated(event, view);
  if (type == kAssetUpdated) return ApplyAssetUpdated(event, view);
  if (type == kImpactAnalysisRecorded)
    return ApplyImpactAnalysisRecorded(event, view);
  if (type == kRiskCreated) return ApplyRiskCreated(event, view);
  if (type == kRiskUpdated) return ApplyRiskUpdated(event, view);
  if (type == kRiskAnalysed)
    return ApplyRiskAnalysis<v1::RiskAnalysed>(event, view);
  if (type == kRiskLevelAdjusted) {
    return ApplyRiskAnalysis<v1::RiskLevelAdjusted>(event, view);
  }
  // kRiskIdAssigned only advances its sequence stream; other services' events
  // belong to their own projectors.
  return absl::OkStatus();
}

}  // namespace riskledger::assessment
