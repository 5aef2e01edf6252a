// The process-wide command runner: every mutation of every service passes
// through one CommandRunner, which serializes commands by key, answers
// retries from the idempotency record, lets the handler load aggregate state
// and decide (CommandPlan), projects the events through the EventRegistry
// exactly as a rebuild would, builds the response, and appends it all in one
// atomic write; a conflict with a concurrent command is re-decided on fresh
// state.
#ifndef RISKLEDGER_SERVICES_COMMON_COMMAND_RUNNER_H_
#define RISKLEDGER_SERVICES_COMMON_COMMAND_RUNNER_H_

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/aggregate_snapshot.h"
#include "services/common/event_registry.h"
#include "services/domain/aggregate.h"
#include "storage/event_store.h"
#include "storage/projector.h"

namespace riskledger {

// The facts of one call that every attempt shares.
struct CommandContext {
  storage::AuditContext audit;
  absl::Time time;
  // Empty: the request is not idempotent.
  std::string idempotency_key;
  // Commands of this process with a common key run one at a time (usually
  // the streams they contend on). Without it, a caller that keeps losing the
  // optimistic race to others on a hot stream could be starved.
  std::vector<std::string> serialization_keys;
  // A command whose deadline has passed by the time its serialization keys
  // are free is dropped with DEADLINE_EXCEEDED (and writes nothing): its
  // caller has stopped waiting for the answer.
  absl::Time deadline = absl::InfiniteFuture();
};

// What one attempt of a command reads and decides: aggregate states loaded
// from their snapshots, the stream versions the decision rests on, and the
// events to append. Every stream that receives events is expected at the
// version its state was loaded at, so that a concurrent change is detected.
// Not thread-safe; one per attempt.
class CommandPlan {
 public:
  explicit CommandPlan(storage::ProjectionReader& store) : store_(store) {}

  // The current state of `stream` (version 0 when it has no events). Loads
  // of one stream within one decision see the same state.
  template <typename Aggregate>
  absl::StatusOr<domain::Current<typename Aggregate::State>> Load(
      absl::string_view stream) {
    absl::StatusOr<const std::optional<std::string>*> bytes =
        SnapshotBytes(stream);
    if (!bytes.ok()) return bytes.status();
    return ParseSnapshot<typename Aggregate::State>(stream, **bytes);
  }

  // As Load, but NOT_FOUND "<what> '<name>' does not exist" for a stream
  // without events.
  template <typename Aggregate>
  absl::StatusOr<domain::Current<typename Aggregate::State>> LoadExisting(
      absl::string_view stream, absl::string_view what,
      absl::string_view name) {
    auto current = Load<Aggregate>(stream);
    if (current.ok() && !current->exists()) {
      return absl::NotFoundError(
          absl::StrCat(what, " '", name, "' does not exist"));
    }
    return current;
  }

  // The command is valid only while `stream` is at `version`.
  void Expect(const std::string& stream, int64_t version);

  // Appends `events` (messages, or variants of messages) to `stream`, which
  // the decision saw at `version`.
  template <typename Event>
  void Record(const std::string& stream, int64_t version,
              const std::vector<Event>& events) {
    Expect(stream, version);
    for (const Event& event : events) Add(stream, event);
  }

  // The written justification recorded with the command's entries.
  void set_justification(std::string justification) {
    justification_ = std::move(justification);
  }

  // For the runner.
  std::vector<storage::StreamExpectation> TakeExpectations();
  std::vector<storage::NewEvent>& events() { return events_; }
  std::string& justification() { return justification_; }
  // INTERNAL when one stream was expected at two versions.
  absl::Status status() const { return status_; }

 private:
  // The stored snapshot of `stream`, read once per plan.
  absl::StatusOr<const std::optional<std::string>*> SnapshotBytes(
      absl::string_view stream);

  void Add(const std::string& stream, const google::protobuf::Message& event);
  template <typename... Alternatives>
  void Add(const std::string& stream,
           const std::variant<Alternatives...>& event) {
    std::visit([&](const auto& message) { Add(stream, message); }, event);
  }

  storage::ProjectionReader& store_;
  std::map<std::string, std::optional<std::string>, std::less<>> snapshots_;
  std::map<std::string, int64_t> expectations_;
  std::vector<storage::NewEvent> events_;
  std::string justification_;
  absl::Status status_;
};

// Decides a command into `plan`; an error aborts the command.
using DecideFn = std::function<absl::Status(CommandPlan& plan)>;
// Builds the serialized response from the state the command leaves behind.
using RespondFn =
    std::function<absl::StatusOr<std::string>(storage::ProjectionView&)>;

// Thread-safe; holds references to a store and registry that outlive it.
class CommandRunner {
 public:
  // Attempts per command when concurrent modifications keep winning; with
  // serialization keys these come only from commands on other keys that
  // touch the same streams, so a few attempts suffice.
  static constexpr int kMaxAttempts = 16;
  // Lock stripes for serialization keys: keys sharing a stripe serialize too.
  static constexpr size_t kLockStripes = 1024;

  CommandRunner(storage::EventStore& store, const EventRegistry& registry)
      : store_(store), registry_(registry) {}

  // Returns the serialized response: from the idempotency record for a retry,
  // otherwise from `respond` after the command's events were durably appended.
  absl::StatusOr<std::string> Execute(const CommandContext& context,
                                      const DecideFn& decide,
                                      const RespondFn& respond) const;

  // Execute with a typed response message.
  template <typename Response>
  absl::StatusOr<Response> Run(
      const CommandContext& context, const DecideFn& decide,
      const std::function<absl::StatusOr<Response>(storage::ProjectionView&)>&
          respond) const {
    absl::StatusOr<std::string> bytes = Execute(
        context, decide,
        [&](storage::ProjectionView& view) -> absl::StatusOr<std::string> {
          absl::StatusOr<Response> response = respond(view);
          if (!response.ok()) return response.status();
          return response->SerializeAsString();
        });
    if (!bytes.ok()) return bytes.status();
    Response response;
    if (!response.ParseFromString(*bytes)) {
      return absl::DataLossError("stored response is corrupt");
    }
    return response;
  }

  storage::EventStore& store() const { return store_; }
  const EventRegistry& registry() const { return registry_; }

 private:
  // Runs Execute's work with the stripes of the context's keys locked.
  absl::StatusOr<std::string> ExecuteUnlocked(const CommandContext& context,
                                              const DecideFn& decide,
                                              const RespondFn& respond) const;

  storage::EventStore& store_;
  const EventRegistry& registry_;
  mutable std::array<absl::Mutex, kLockStripes> stripes_;
};

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_COMMAND_RUNNER_H_
