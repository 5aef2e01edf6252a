// EventRegistry: decoding with upcasts, and the one Projector of the process.
#include "services/common/event_registry.h"

#include <cstdlib>

#include "services/base/log.h"

namespace riskledger {
namespace {

// An upcast chain longer than this is a registration mistake (a cycle).
constexpr int kMaxUpcasts = 16;

}  // namespace

void EventRegistry::AddType(const std::string& type,
                            const google::protobuf::Message* prototype,
                            EvolveFn evolve) {
  const bool added =
      types_.emplace(type, EventType{prototype, std::move(evolve)}).second;
  if (!added) {
    // A start-up wiring mistake, not a runtime condition: two aggregates
    // cannot both own one event type.
    LogError("event type %s registered twice", type);
    std::abort();
  }
}

void EventRegistry::AddProjector(std::unique_ptr<ReadModelProjector> projector) {
  projectors_.push_back(std::move(projector));
}

void EventRegistry::AddUpcaster(const std::string& stored_type,
                                const Upcaster& upcaster) {
  if (types_.count(stored_type) > 0 || upcasters_.count(stored_type) > 0) {
    LogError("upcaster for %s conflicts with a registration", stored_type);
    std::abort();
  }
  upcasters_.emplace(stored_type, upcaster);
}

absl::StatusOr<DecodedEvent> EventRegistry::Decode(
    absl::string_view type, absl::string_view payload) const {
  // Copies of the type and payload only once an upcaster rewrote them: a
  // registered type (every entry, in a rebuild) is parsed where it lies.
  std::string upcast_type;
  std::string upcast_payload;
  for (int upcasts = 0;; ++upcasts) {
    auto known = types_.find(type);
    if (known != types_.end()) {
      DecodedEvent decoded;
      decoded.message.reset(known->second.prototype->New());
      decoded.type = decoded.message->GetDescriptor()->full_name();
      if (!decoded.message->ParseFromArray(payload.data(),
                                           static_cast<int>(payload.size()))) {
        return absl::DataLossError(
            absl::StrCat("cannot parse a ", type, " payload"));
      }
      return decoded;
    }
    auto upcaster = upcasters_.find(type);
    if (upcaster == upcasters_.end() || upcasts == kMaxUpcasts) {
      return absl::DataLossError(absl::StrCat(
          "no event type or upcaster is registered for '", type, "'"));
    }
    ASSIGN_OR_RETURN(auto upcast, upcaster->second(payload));
    upcast_type = std::move(upcast.first);
    upcast_payload = std::move(upcast.second);
    type = upcast_type;
    payload = upcast_payload;
  }
}

absl::Status EventRegistry::Apply(const storage::EventEnvelope& event,
                                  storage::ProjectionView& view) const {
  absl::StatusOr<DecodedEvent> decoded = Decode(event.type, event.payload);
  if (!decoded.ok()) {
    return absl::Status(decoded.status().code(),
                        absl::StrCat(decoded.status().message(), " (stream ",
                                     event.stream_id, " version ",
                                     event.stream_version, ")"));
  }
  RETURN_IF_ERROR(
      types_.at(decoded->type).evolve(*decoded->message, event, view));
  for (const std::unique_ptr<ReadModelProjector>& projector : projectors_) {
    RETURN_IF_ERROR(projector->Apply(event, *decoded->message, view));
  }
  return absl::OkStatus();
}

}  // namespace riskledger
