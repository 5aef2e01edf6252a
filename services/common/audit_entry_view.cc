#include "services/common/audit_entry_view.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "services/common/proto_time.h"
#include "storage/event_codec.h"

namespace riskledger {

std::string ShortTypeName(absl::string_view type) {
  const size_t dot = type.rfind('.');
  return std::string(dot == absl::string_view::npos ? type
                                                     : type.substr(dot + 1));
}

v1::AuditStamp AuditStampOf(const storage::EventEnvelope& event) {
  v1::AuditStamp stamp;
  stamp.set_log_position(event.position);
  *stamp.mutable_time() = ToProtoTimestamp(event.time);
  stamp.set_principal(event.principal);
  stamp.set_peer(event.peer);
  stamp.set_method(event.method);
  stamp.set_request_id(event.request_id);
  stamp.set_justification(event.justification);
  stamp.set_event_type(ShortTypeName(event.type));
  stamp.set_request_digest(event.request_digest);
  stamp.set_response_digest(event.response_digest);
  stamp.set_result(event.result);
  stamp.set_entry_hash(storage::ToHex(event.hash));
  return stamp;
}

absl::StatusOr<DecodedEvent> DecodeLoggedEvent(
    const EventRegistry& registry, const storage::EventEnvelope& event) {
  absl::StatusOr<DecodedEvent> decoded =
      registry.Decode(event.type, event.payload);
  if (!decoded.ok()) {
    return absl::DataLossError(absl::StrCat(decoded.status().message(),
                                            " at log position ",
                                            event.position));
  }
  return decoded;
}

std::optional<ScoreChanges> ScoreChangesOf(
    const google::protobuf::Message& event) {
  const google::protobuf::Descriptor* descriptor = event.GetDescriptor();
  const google::protobuf::Reflection* reflection = event.GetReflection();
  std::optional<ScoreChanges> out;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (!field->is_repeated() ||
        field->message_type() != events::v1::ScoreChange::descriptor()) {
      continue;
    }
    if (!out.has_value()) out.emplace();
    for (const events::v1::ScoreChange& change :
         reflection->GetRepeatedFieldRef<events::v1::ScoreChange>(event,
                                                                   field)) {
      v1::ScoreChange* api = out->Add();
      api->set_field(change.field());
      api->set_before(change.before());
      api->set_after(change.after());
    }
  }
  return out;
}

}  // namespace riskledger
