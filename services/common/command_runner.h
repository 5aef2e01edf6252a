// The process-wide command runner: every mutation of every service passes
// through one CommandRunner, which serializes commands by key, answers
// retries from the idempotency record, lets the handler load aggregate state
// and decide (CommandPlan), projects the events through the EventRegistry
// exactly as a rebuild would, builds the response, and appends it all in one
// atomic write; a conflict with a concurrent command is re-decided on fresh
// state.
#ifndef RISKLEDGER_SERVICES_COMMON_COMMAND_RUNNER_H_
#define RISKLEDGER_SERVICES_COMMON_COMMAND_RUNNER_H_

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/aggregate_snapshot.h"
#include "services/common/canonical_encoding.h"
#include "services/common/event_registry.h"
#include "services/domain/aggregate.h"
#include "storage/event_store.h"
#include "storage/executor.h"
#include "storage/projector.h"

namespace riskledger {

// Lets a caller that stopped waiting (a cancelled call) drop its command
// while the command still waits for its turn. Thread-safe.
class Cancellation {
 public:
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

// The facts of one call that every attempt shares.
struct CommandContext {
  storage::AuditContext audit;
  absl::Time time;
  // Empty: the request is not idempotent.
  std::string idempotency_key;
  // Commands of this process with a common key are decided one at a time,
  // in arrival order (usually the streams they contend on). Without it, a
  // caller that keeps losing the optimistic race to others on a hot stream
  // could be starved.
  std::vector<std::string> serialization_keys;
  // A command whose deadline has passed by the time its serialization keys
  // are free is dropped with DEADLINE_EXCEEDED (and writes nothing): its
  // caller has stopped waiting for the answer.
  absl::Time deadline = absl::InfiniteFuture();
  // Likewise a command whose caller cancelled (CANCELLED). Null: none.
  std::shared_ptr<const Cancellation> cancellation;
};

// What one attempt of a command reads and decides: aggregate states loaded
// from their snapshots, the stream versions the decision rests on, and the
// events to append. Every stream that receives events is expected at the
// version its state was loaded at, so that a concurrent change is detected.
// Not thread-safe; one per attempt.
class CommandPlan {
 public:
  explicit CommandPlan(storage::ProjectionLookup& store) : store_(store) {}

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

  storage::ProjectionLookup& store_;
  std::map<std::string, std::optional<std::string>, std::less<>> snapshots_;
  std::map<std::string, int64_t> expectations_;
  std::vector<storage::NewEvent> events_;
  std::string justification_;
  absl::Status status_;
};

// Decides a command into `plan`; an error aborts the command.
using DecideFn = std::function<absl::Status(CommandPlan& plan)>;
// Builds the response from the state the command leaves behind, in its
// canonical encoding (canonical_encoding.h): its digest goes into the log and
// these bytes answer retries, so both must be the same bytes.
using RespondFn =
    std::function<absl::StatusOr<std::string>(storage::ProjectionView&)>;
// Receives a command's outcome, exactly once.
template <typename Response>
using ReplyFn = std::function<void(absl::StatusOr<Response>)>;

// Thread-safe; holds references to a store, registry and executor that
// outlive it.
//
// A command never blocks its caller's thread on the disk: it waits for its
// serialization keys in a FIFO (a continuation, not a parked thread), is
// decided on the projections of every sequenced append (so a command need
// not wait for the previous one's sync), and is answered from the store's
// completion when its group is durable. Its keys are free again as soon as
// the sequencer accepted its append.
class CommandRunner {
 public:
  // Attempts per command when concurrent modifications keep winning; with
  // serialization keys these come only from commands on other keys that
  // touch the same streams, so a few attempts suffice.
  static constexpr int kMaxAttempts = 16;

  // `executor` runs continuations: commands whose keys became free, and
  // re-decisions after a conflict.
  CommandRunner(storage::EventStore& store, const EventRegistry& registry,
                storage::Executor& executor);
  ~CommandRunner();
  CommandRunner(const CommandRunner&) = delete;
  CommandRunner& operator=(const CommandRunner&) = delete;

  // Runs a command and passes `reply` the serialized response: from the
  // idempotency record for a retry, otherwise from `respond` once the
  // command's events are durable. `reply` runs on this thread or another,
  // after Execute returned or before. A command still waiting for its keys
  // when its call is cancelled or its deadline passed is dropped
  // (CANCELLED, DEADLINE_EXCEEDED) and writes nothing.
  void Execute(const CommandContext& context, DecideFn decide,
               RespondFn respond, ReplyFn<std::string> reply) const;

  // Execute with a typed response message.
  template <typename Response>
  void Run(const CommandContext& context, const DecideFn& decide,
           std::function<absl::StatusOr<Response>(storage::ProjectionView&)>
               respond,
           ReplyFn<Response> reply) const {
    Execute(
        context, decide,
        [respond = std::move(respond)](
            storage::ProjectionView& view) -> absl::StatusOr<std::string> {
          absl::StatusOr<Response> response = respond(view);
          if (!response.ok()) return response.status();
          return CanonicalEncoding(*response);
        },
        [reply = std::move(reply)](absl::StatusOr<std::string> bytes) {
          if (!bytes.ok()) return reply(bytes.status());
          Response response;
          if (!response.ParseFromString(*bytes)) {
            return reply(absl::DataLossError("stored response is corrupt"));
          }
          reply(std::move(response));
        });
  }

  storage::EventStore& store() const { return store_; }
  const EventRegistry& registry() const { return registry_; }

 private:
  struct Command;
  using CommandPtr = std::shared_ptr<Command>;
  using Step = void (CommandRunner::*)(const CommandPtr&) const;

  // Queues `command` behind its keys; true when it may run now.
  bool Enqueue(const CommandPtr& command) const;
  // Frees `command`'s keys, scheduling the commands that may run now.
  void Release(const CommandPtr& command) const;
  // Runs a command whose keys are free.
  void Start(const CommandPtr& command) const;
  // Decides, stages and appends one attempt.
  void Attempt(const CommandPtr& command) const;
  // Runs `step`, failing the command with INTERNAL if it throws.
  void Guarded(const CommandPtr& command, Step step) const;
  // Runs `step` on the executor.
  void Continue(const CommandPtr& command, Step step) const;
  // Ends a command that wrote nothing: frees its keys, then replies.
  void Fail(const CommandPtr& command, absl::Status failure) const;
  // Replies `failure`, or the first result of an identical request.
  void ReplyFailure(const CommandPtr& command, absl::Status failure) const;

  storage::EventStore& store_;
  const EventRegistry& registry_;
  storage::Executor& executor_;
  // Per serialization key, the commands holding it (the front) and waiting
  // for it, in arrival order. Every command is queued on all its keys at
  // once, so any two commands are in the same order on every key they
  // share: no cycle of waits can form.
  mutable absl::Mutex keys_mu_;
  mutable absl::flat_hash_map<std::string, std::deque<CommandPtr>> holders_
      ABSL_GUARDED_BY(keys_mu_);
};

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_COMMAND_RUNNER_H_
