// Runs a command through the event store: decide, project, append atomically;
// retries on a concurrent modification; answers retries of a request_id from
// the idempotency record.
#ifndef RISKLEDGER_SERVICES_COMMON_COMMAND_EXECUTOR_H_
#define RISKLEDGER_SERVICES_COMMON_COMMAND_EXECUTOR_H_

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/event_store.h"
#include "storage/projector.h"

namespace riskledger {

// What a command decided to record. Every stream that receives events must
// have an expectation with an explicit version (the version the decision was
// based on), so that a concurrent change is detected.
struct CommandPlan {
  std::vector<storage::StreamExpectation> expectations;
  std::vector<storage::NewEvent> events;
  std::string justification;
};

// The facts of one call that every attempt shares.
struct CommandContext {
  storage::AuditContext audit;
  absl::Time time;
  // Empty: the request is not idempotent.
  std::string idempotency_key;
  // False when the client sent an etag: a conflict is then the client's to
  // resolve (ABORTED); true lets the executor re-decide on fresh state.
  bool retry_on_conflict = true;
  // Commands of this process with a common key run one at a time (usually
  // the stream they contend on). Without it, a caller that keeps losing the
  // optimistic race to others on a hot stream could be starved.
  std::vector<std::string> serialization_keys;
  // A command whose deadline has passed by the time its serialization keys
  // are free is dropped with DEADLINE_EXCEEDED (and writes nothing): its
  // caller has stopped waiting for the answer.
  absl::Time deadline = absl::InfiniteFuture();
};

// Decides a command from the current state; an error aborts the command.
using DecideFn = std::function<absl::StatusOr<CommandPlan>()>;
// Builds the serialized response from the state the command leaves behind.
using RespondFn =
    std::function<absl::StatusOr<std::string>(storage::ProjectionView&)>;

// Thread-safe; holds references to a store and projector that outlive it.
class CommandExecutor {
 public:
  // Attempts per command when concurrent modifications keep winning; with
  // serialization keys these come only from commands on other keys that
  // touch the same streams, so a few attempts suffice.
  static constexpr int kMaxAttempts = 16;
  // Lock stripes for serialization keys: keys sharing a stripe serialize too.
  static constexpr size_t kLockStripes = 1024;

  CommandExecutor(storage::EventStore& store,
                  const storage::Projector& projector)
      : store_(store), projector_(projector) {}

  // Returns the serialized response: from the idempotency record for a retry,
  // otherwise from `respond` after the command's events were durably appended.
  absl::StatusOr<std::string> Execute(const CommandContext& context,
                                      const DecideFn& decide,
                                      const RespondFn& respond) const;

  storage::EventStore& store() const { return store_; }

 private:
  // Runs Execute's work with the stripes of `keys` locked (in index order).
  absl::StatusOr<std::string> ExecuteUnlocked(const CommandContext& context,
                                              const DecideFn& decide,
                                              const RespondFn& respond) const;

  storage::EventStore& store_;
  const storage::Projector& projector_;
  mutable std::array<absl::Mutex, kLockStripes> stripes_;
};

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_COMMAND_EXECUTOR_H_
