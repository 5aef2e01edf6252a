// Log entries as the API shows them to auditors (M14): the audit facts of an
// entry, and the scores its event changed with their before/after values.
// Shared by the score history of AssessmentService and by AuditService.
#ifndef RISKLEDGER_SERVICES_COMMON_AUDIT_ENTRY_VIEW_H_
#define RISKLEDGER_SERVICES_COMMON_AUDIT_ENTRY_VIEW_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "riskledger/v1/common.pb.h"
#include "services/common/event_registry.h"
#include "storage/event_store.h"

namespace riskledger {

using ScoreChanges = google::protobuf::RepeatedPtrField<v1::ScoreChange>;

// The name of an event for people: its message name ("RiskAnalysed"); the
// log entry's type is the fully qualified "riskledger.events.v1.RiskAnalysed".
std::string ShortTypeName(absl::string_view type);

v1::AuditStamp AuditStampOf(const storage::EventEnvelope& event);

// The entry's event decoded through the registry (an event stored in an
// older form is read through its upcaster); DATA_LOSS naming the position
// when it does not decode.
absl::StatusOr<DecodedEvent> DecodeLoggedEvent(
    const EventRegistry& registry, const storage::EventEnvelope& event);

// The score changes an event records: every element of its repeated
// riskledger.events.v1.ScoreChange fields, in field order; nullopt for an
// event type that records no scores. Found by the event's descriptor, so a
// later service's scoring events are covered without a list to maintain.
std::optional<ScoreChanges> ScoreChangesOf(
    const google::protobuf::Message& event);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_AUDIT_ENTRY_VIEW_H_
