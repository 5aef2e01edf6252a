// Etags, events and command contexts for the assessment handlers.
#include "services/assessment/handler_support.h"

#include "absl/strings/numbers.h"
#include "services/base/status_details.h"

namespace riskledger::assessment {

absl::StatusOr<int64_t> ParseEtag(absl::string_view etag,
                                  absl::string_view field) {
  int64_t version = 0;
  if (!absl::SimpleAtoi(etag, &version) || version < 1) {
    return InvalidFieldError(
        field, absl::StrCat("'", etag, "' is not an etag this service issued"));
  }
  return version;
}

absl::Status CheckEtag(absl::string_view etag, absl::string_view field,
                       absl::string_view current_etag) {
  if (etag.empty()) return absl::OkStatus();
  absl::StatusOr<int64_t> version = ParseEtag(etag, field);
  if (!version.ok()) return version.status();
  if (etag != current_etag) {
    return absl::AbortedError(
        absl::StrCat(field, " '", etag, "' is stale: the resource is at etag '",
                     current_etag, "'; re-read it and retry"));
  }
  return absl::OkStatus();
}

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

CommandContext MakeCommandContext(const CallContext& call,
                                  absl::string_view tenant_name,
                                  bool client_sent_etag) {
  CommandContext context;
  context.audit = call.audit;
  context.time = call.now;
  if (!call.audit.request_id.empty()) {
    context.idempotency_key =
        absl::StrCat(tenant_name, "|", call.audit.request_id);
  }
  context.retry_on_conflict = !client_sent_etag;
  return context;
}

}  // namespace riskledger::assessment
