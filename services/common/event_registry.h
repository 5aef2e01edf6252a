// The process-wide event registry: every event type the log may hold, with
// its message, the aggregate whose state it evolves, the upcasters that bring
// older stored forms to it, and the read-model projectors that follow it.
// The live path (CommandRunner), --rebuild_projections and history reads all
// use the one registry built at start-up, so a new service registers its
// aggregates, events and projectors in one place and a rebuild covers them.
#ifndef RISKLEDGER_SERVICES_COMMON_EVENT_REGISTRY_H_
#define RISKLEDGER_SERVICES_COMMON_EVENT_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/base/status_macros.h"
#include "services/common/aggregate_snapshot.h"
#include "storage/event_store.h"
#include "storage/projector.h"

namespace riskledger {

// The log type of an event message: its fully qualified, versioned name,
// e.g. "riskledger.events.v1.RiskAnalysed".
template <typename Event>
const std::string& EventTypeOf() {
  return Event::descriptor()->full_name();
}

// A stored event decoded through the registry: upcast to its current type
// and parsed.
struct DecodedEvent {
  // The current type name (differs from the stored one after an upcast):
  // the message's full name, which lives as long as the process.
  absl::string_view type;
  std::unique_ptr<google::protobuf::Message> message;
};

// Derives read models from decoded events. Apply may depend only on what
// storage::Projector allows (the envelope fields known when a command is
// staged) and on `view`. Implementations are thread-safe and ignore event
// types that are not theirs.
class ReadModelProjector {
 public:
  virtual ~ReadModelProjector() = default;
  virtual absl::Status Apply(const storage::EventEnvelope& envelope,
                             const google::protobuf::Message& event,
                             storage::ProjectionView& view) const = 0;
};

// Rewrites an event stored under a type this build no longer registers (an
// older version, e.g. "riskledger.events.v0.X", or a message retired for a
// new one) to a newer type: returns the new type and payload. Upcasters chain
// until the type is a registered one. A registered type is never upcast: a
// message only ever gains fields, which old payloads parse into.
using Upcaster = std::function<absl::StatusOr<std::pair<std::string, std::string>>(
    absl::string_view payload)>;

// Filled once at start-up (Add* calls), then only read: thread-safe for
// concurrent reads after that.
class EventRegistry final : public storage::Projector {
 public:
  // Registers every event of Aggregate::Event (a std::variant of messages)
  // as evolving Aggregate::State through Aggregate::Evolve. A type may be
  // registered once.
  template <typename Aggregate>
  void AddAggregate() {
    AddAlternatives<Aggregate>(
        std::make_index_sequence<
            std::variant_size_v<typename Aggregate::Event>>());
  }

  // Adds a read-model projector; every event is offered to every projector,
  // in the order they were added.
  void AddProjector(std::unique_ptr<ReadModelProjector> projector);

  // Registers how to read events stored under `stored_type`, which must not
  // be a registered type nor have an upcaster already (a wiring mistake
  // aborts at start-up).
  void AddUpcaster(const std::string& stored_type, const Upcaster& upcaster);

  // Upcasts and parses a stored event. DATA_LOSS for a type nobody
  // registered or a payload that does not parse: the log holds it, so it is
  // never skipped.
  absl::StatusOr<DecodedEvent> Decode(absl::string_view type,
                                      absl::string_view payload) const;

  // storage::Projector: evolves the snapshot of the event's stream, then
  // runs every projector. ABORTED when the snapshot is not at
  // stream_version - 1 (the stream moved since the command read it).
  absl::Status Apply(const storage::EventEnvelope& event,
                     storage::ProjectionView& view) const override;

  // The number of registered event types.
  size_t size() const { return types_.size(); }

 private:
  using EvolveFn = std::function<absl::Status(
      const google::protobuf::Message& event,
      const storage::EventEnvelope& envelope, storage::ProjectionView& view)>;
  struct EventType {
    const google::protobuf::Message* prototype = nullptr;
    EvolveFn evolve;
  };

  template <typename Aggregate, size_t... I>
  void AddAlternatives(std::index_sequence<I...> /*alternatives*/) {
    (AddEvent<Aggregate,
              std::variant_alternative_t<I, typename Aggregate::Event>>(),
     ...);
  }

  template <typename Aggregate, typename Event>
  void AddEvent() {
    AddType(EventTypeOf<Event>(), &Event::default_instance(),
            [](const google::protobuf::Message& event,
               const storage::EventEnvelope& envelope,
               storage::ProjectionView& view) -> absl::Status {
              using State = typename Aggregate::State;
              domain::Current<State> parsed;
              ASSIGN_OR_RETURN(
                  domain::Current<State> * current,
                  ReadSnapshot<State>(view, envelope.stream_id, parsed));
              // Live, the stream moved after the command read it (the
              // runner re-decides); in a rebuild, the log is inconsistent.
              if (current->version != envelope.stream_version - 1) {
                return absl::AbortedError(absl::StrCat(
                    "state of ", envelope.stream_id, " is at version ",
                    current->version, ", event is version ",
                    envelope.stream_version));
              }
              current->state = Aggregate::Evolve(
                  std::move(current->state),
                  typename Aggregate::Event(
                      static_cast<const Event&>(event)));
              current->version = envelope.stream_version;
              PutSnapshot(view, envelope.stream_id, std::move(*current));
              return absl::OkStatus();
            });
  }

  void AddType(const std::string& type,
               const google::protobuf::Message* prototype, EvolveFn evolve);

  absl::flat_hash_map<std::string, EventType> types_;
  absl::flat_hash_map<std::string, Upcaster> upcasters_;
  std::vector<std::unique_ptr<ReadModelProjector>> projectors_;
};

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_EVENT_REGISTRY_H_
