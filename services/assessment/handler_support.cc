// Etags, events and command contexts for the assessment handlers.
#include "services/assessment/handler_support.h"

#include "riskledger/v1/audit_events.pb.h"
#include "services/assessment/event_types.h"
#include "services/assessment/projection_keys.h"
#include "services/base/status_details.h"

namespace riskledger::assessment {

storage::NewEvent MakeEvent(std::string stream, absl::string_view type,
                            const google::protobuf::Message& payload) {
  return storage::NewEvent{std::move(stream), std::string(type),
                           payload.SerializeAsString()};
}

absl::StatusOr<CommandPlan> PlanOneEvent(
    const std::string& stream, absl::string_view current_etag,
    absl::string_view type, const google::protobuf::Message& payload,
    std::string justification) {
  absl::StatusOr<int64_t> version = ParseEtag(current_etag, "etag");
  if (!version.ok()) {
    return absl::DataLossError(
        absl::StrCat("read model of ", stream, " has a malformed etag"));
  }
  CommandPlan plan;
  plan.expectations.push_back({stream, *version});
  plan.events.push_back(MakeEvent(stream, type, payload));
  plan.justification = std::move(justification);
  return plan;
}

absl::Status ReferenceComponent(storage::EventStore& store,
                                const v1::Asset& asset,
                                const std::string& risk_name,
                                const std::string& component,
                                CommandPlan& plan) {
  if (component.empty()) return absl::OkStatus();
  absl::StatusOr<int64_t> asset_version = ParseEtag(asset.etag(), "etag");
  if (!asset_version.ok()) {
    return absl::DataLossError(
        absl::StrCat("read model of ", asset.name(), " has a malformed etag"));
  }
  const std::string references = ComponentReferencesStream(asset.name());
  ASSIGN_OR_RETURN(int64_t reference_version, store.StreamVersion(references));
  v1::AssetComponentReferenced referenced;
  referenced.set_risk(risk_name);
  referenced.set_component(component);
  plan.expectations.push_back({asset.name(), *asset_version});
  plan.expectations.push_back({references, reference_version});
  plan.events.push_back(
      MakeEvent(references, kAssetComponentReferenced, referenced));
  return absl::OkStatus();
}

CommandContext MakeCommandContext(const CallContext& call,
                                  absl::string_view tenant_name,
                                  std::vector<std::string> serialization_keys) {
  CommandContext context;
  context.audit = call.audit;
  context.time = call.now;
  context.deadline = call.deadline;
  if (!call.audit.request_id.empty()) {
    context.idempotency_key =
        absl::StrCat(tenant_name, "|", call.audit.request_id);
  }
  context.retry_on_conflict = true;
  context.serialization_keys = std::move(serialization_keys);
  return context;
}

}  // namespace riskledger::assessment
