// Command contexts and component naming for the assessment handlers.
#include "services/assessment/handler_support.h"

#include "services/assessment/projection_keys.h"
#include "services/domain/component_usage.h"

namespace riskledger::assessment {

absl::Status NameComponent(CommandPlan& plan, const std::string& asset_name,
                           int64_t asset_version, const std::string& risk_id,
                           const std::string& from, const std::string& to) {
  domain::ComponentUsageEvents events =
      domain::DecideNameComponent(risk_id, from, to);
  if (events.empty()) return absl::OkStatus();
  const std::string usage_stream = ComponentReferencesStream(asset_name);
  ASSIGN_OR_RETURN(auto usage,
                   plan.Load<domain::ComponentUsageAggregate>(usage_stream));
  if (!to.empty()) plan.Expect(asset_name, asset_version);
  plan.Record(usage_stream, usage.version, events);
  return absl::OkStatus();
}

CommandContext MakeCommandContext(const CallContext& call,
                                  absl::string_view tenant_name,
                                  std::vector<std::string> serialization_keys) {
  CommandContext context;
  context.audit = call.audit;
  context.time = call.now;
  context.deadline = call.deadline;
  context.cancellation = call.cancellation;
  if (!call.audit.request_id.empty()) {
    context.idempotency_key =
        absl::StrCat(tenant_name, "|", call.audit.request_id);
  }
  context.serialization_keys = std::move(serialization_keys);
  return context;
}

}  // namespace riskledger::assessment

namespace riskledger::assessment {

absl::StatusOr<std::shared_ptr<storage::ProjectionReader>>
AssessmentHandlers::ReaderAsOf(const std::string& stream,
                               const v1::AsOf* as_of) const {
  if (as_of == nullptr) {
    // The store outlives every read.
    return std::shared_ptr<storage::ProjectionReader>(
        &store_, [](storage::ProjectionReader* /*store*/) {});
  }
  ASSIGN_OR_RETURN(int64_t position, ResolveAsOf(store_, *as_of, "as_of"));
  ASSIGN_OR_RETURN(std::unique_ptr<storage::MemoryProjections> past,
                   ReplayStream(store_, runner_.registry(), stream, position));
  return std::shared_ptr<storage::ProjectionReader>(std::move(past));
}

absl::StatusOr<std::shared_ptr<storage::ProjectionReader>>
AssessmentHandlers::RegisterAsOf(const std::string& tenant,
                                 const v1::AsOf* as_of) const {
  if (as_of == nullptr) {
    ASSIGN_OR_RETURN(std::unique_ptr<storage::ProjectionReader> snapshot,
                     store_.SnapshotProjections());
    return std::shared_ptr<storage::ProjectionReader>(std::move(snapshot));
  }
  ASSIGN_OR_RETURN(int64_t position, ResolveAsOf(store_, *as_of, "as_of"));
  ASSIGN_OR_RETURN(std::shared_ptr<storage::MemoryProjections> past,
                   tenant_replays_->At(absl::StrCat(tenant, "/"), position));
  return std::shared_ptr<storage::ProjectionReader>(std::move(past));
}

}  // namespace riskledger::assessment
