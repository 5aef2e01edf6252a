// CommandRunner: the decide → project → append loop.
#include "services/common/command_runner.h"

#include <algorithm>
#include <map>
#include <memory>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "services/base/status_details.h"
#include "services/base/status_macros.h"
#include "services/common/call_guard.h"

namespace riskledger {

namespace {

// The store reports an idempotency key reused for another request as
// ALREADY_EXISTS; to the client that is a bad request_id (AIP-155).
absl::Status ForClient(absl::Status store_status) {
  if (!absl::IsAlreadyExists(store_status)) return store_status;
  return InvalidFieldError(
      "request_id", "was already used for a different request (AIP-155)");
}

// The response of an earlier request with the same idempotency key, if one
// has committed.
absl::StatusOr<std::optional<std::string>> EarlierResponse(
    storage::EventStore& store, const CommandContext& context) {
  if (context.idempotency_key.empty()) return std::optional<std::string>();
  absl::StatusOr<std::optional<std::string>> earlier =
      store.FindIdempotentResponse(context.idempotency_key,
                                   context.audit.request_digest);
  if (!earlier.ok()) return ForClient(earlier.status());
  return earlier;
}

}  // namespace

absl::StatusOr<const std::optional<std::string>*> CommandPlan::SnapshotBytes(
    absl::string_view stream) {
  auto it = snapshots_.find(stream);
  if (it == snapshots_.end()) {
    absl::StatusOr<std::optional<std::string>> bytes = store_.GetProjection(
        storage::ProjectionTable::kState, SnapshotKey(stream));
    if (!bytes.ok()) return bytes.status();
    it = snapshots_.emplace(std::string(stream), *std::move(bytes)).first;
  }
  return &it->second;
}

void CommandPlan::Expect(const std::string& stream, int64_t version) {
  auto [it, inserted] = expectations_.emplace(stream, version);
  if (!inserted && it->second != version && status_.ok()) {
    status_ = absl::InternalError(absl::StrCat(
        "command expects ", stream, " at versions ", it->second, " and ",
        version));
  }
}

void CommandPlan::Add(const std::string& stream,
                      const google::protobuf::Message& event) {
  events_.push_back(storage::NewEvent{
      stream, event.GetDescriptor()->full_name(), event.SerializeAsString()});
}

std::vector<storage::StreamExpectation> CommandPlan::TakeExpectations() {
  std::vector<storage::StreamExpectation> expectations;
  expectations.reserve(expectations_.size());
  for (const auto& [stream, version] : expectations_) {
    expectations.push_back({stream, version});
  }
  return expectations;
}

// One command on its way through the runner.
struct CommandRunner::Command {
  CommandContext context;
  DecideFn decide;
  RespondFn respond;
  ReplyFn<std::string> reply;
  // Serialization keys, without repeats.
  std::vector<std::string> keys;
  // Keys on which an earlier command is still ahead (under keys_mu_).
  int blocked = 0;
  // Whether the command holds its keys (under keys_mu_).
  bool holds_keys = false;
  int attempts = 0;
};

CommandRunner::CommandRunner(storage::EventStore& store,
                             const EventRegistry& registry,
                             storage::Executor& executor)
    : store_(store), registry_(registry), executor_(executor) {}

CommandRunner::~CommandRunner() = default;

void CommandRunner::Execute(
    const CommandContext& context, DecideFn decide, RespondFn respond,
    ReplyFn<std::string> reply) const {
  auto command = std::make_shared<Command>();
  command->context = context;
  // The log keeps times in microseconds (EVENT_FORMAT.md): stage with the
  // time the log will hold, so that a rebuild derives the same read models.
  command->context.time =
      absl::FromUnixMicros(absl::ToUnixMicros(context.time));
  command->decide = std::move(decide);
  command->respond = std::move(respond);
  command->reply = std::move(reply);
  command->keys = context.serialization_keys;
  std::sort(command->keys.begin(), command->keys.end());
  command->keys.erase(std::unique(command->keys.begin(), command->keys.end()),
                      command->keys.end());
  // Uncontended, the command runs on the caller's thread, without a hand-off.
  if (Enqueue(command)) Guarded(command, &CommandRunner::Start);
}

void CommandRunner::Guarded(const CommandPtr& command, Step step) const {
  // Deciding runs on pool threads too: nothing thrown there (the standard
  // library and protobuf can throw, e.g. std::bad_alloc) may escape; the
  // command fails with INTERNAL instead.
  try {
    (this->*step)(command);
  } catch (const std::exception& exception) {
    Fail(command,
         UnexpectedException(command->context.audit.method, exception.what()));
  } catch (...) {
    Fail(command, UnexpectedException(command->context.audit.method,
                                      "unknown exception"));
  }
}

void CommandRunner::Continue(const CommandPtr& command, Step step) const {
  executor_.Schedule([this, command, step] { Guarded(command, step); });
}

bool CommandRunner::Enqueue(const CommandPtr& command) const {
  absl::MutexLock lock(&keys_mu_);
  size_t queued = 0;
  try {
    for (const std::string& key : command->keys) {
      std::deque<CommandPtr>& queue = holders_[key];
      const bool waits = !queue.empty();
      queue.push_back(command);
      if (waits) ++command->blocked;
      ++queued;
    }
  } catch (...) {
    // Out of memory part-way: a command in some queues only would block them
    // for good (Release pops every key). Take it out of those it entered (it
    // is at their backs: keys_mu_ is held) and let the caller fail the call.
    for (size_t i = 0; i < queued; ++i) {
      auto it = holders_.find(command->keys[i]);
      it->second.pop_back();
      if (it->second.empty()) holders_.erase(it);
    }
    command->blocked = 0;
    throw;
  }
  command->holds_keys = true;
  return command->blocked == 0;
}

void CommandRunner::Release(const CommandPtr& command) const {
  std::vector<CommandPtr> ready;
  {
    absl::MutexLock lock(&keys_mu_);
    if (!command->holds_keys) return;
    command->holds_keys = false;
    for (const std::string& key : command->keys) {
      auto it = holders_.find(key);
      std::deque<CommandPtr>& queue = it->second;
      queue.pop_front();  // `command`: it ran, so it was at every front
      if (queue.empty()) {
        holders_.erase(it);
      } else if (--queue.front()->blocked == 0) {
        ready.push_back(queue.front());
      }
    }
  }
  for (CommandPtr& next : ready) {
    Continue(next, &CommandRunner::Start);
  }
}

void CommandRunner::Start(const CommandPtr& command) const {
  // Waiting for the keys may outlast the caller: then do nothing.
  const auto& cancellation = command->context.cancellation;
  if (cancellation != nullptr && cancellation->cancelled()) {
    return Fail(command,
                absl::CancelledError("the call was cancelled before the "
                                     "command could run"));
  }
  if (absl::Now() >= command->context.deadline) {
    return Fail(command,
                absl::DeadlineExceededError(
                    "the call's deadline passed before the command could run"));
  }
  absl::StatusOr<std::optional<std::string>> earlier =
      EarlierResponse(store_, command->context);
  if (!earlier.ok()) return Fail(command, earlier.status());
  if (earlier->has_value()) {
    Release(command);
    return command->reply(**std::move(earlier));
  }
  Attempt(command);
}

void CommandRunner::Attempt(const CommandPtr& command) const {
  ++command->attempts;
  storage::ProjectionLookup& sequenced = store_.SequencedProjections();
  CommandPlan plan(sequenced);
  absl::Status decided = command->decide(plan);
  if (decided.ok()) decided = plan.status();
  if (!decided.ok()) return Fail(command, decided);
  std::vector<storage::StreamExpectation> expectations =
      plan.TakeExpectations();
  std::map<std::string, int64_t> versions;
  for (const storage::StreamExpectation& expectation : expectations) {
    versions[expectation.stream_id] = expectation.expected_version;
  }
  // Project the events exactly as a rebuild from the log would.
  storage::StagedProjection staged(sequenced);
  absl::Status staging;
  for (const storage::NewEvent& event : plan.events()) {
    auto version = versions.find(event.stream_id);
    if (version == versions.end() || version->second < 0) {
      return Fail(command, absl::InternalError(absl::StrCat(
                               "command has no expected version for stream ",
                               event.stream_id)));
    }
    storage::EventEnvelope envelope;
    envelope.stream_id = event.stream_id;
    envelope.stream_version = ++version->second;
    envelope.type = event.type;
    envelope.payload = event.payload;
    envelope.time = command->context.time;
    envelope.principal = command->context.audit.principal;
    envelope.justification = plan.justification();
    staging = registry_.Apply(envelope, staged);
    if (!staging.ok()) break;
  }
  if (absl::IsAborted(staging)) {  // a stream moved since `decide` read it
    if (command->attempts >= kMaxAttempts) return Fail(command, staging);
    return Continue(command, &CommandRunner::Attempt);
  }
  if (!staging.ok()) return Fail(command, staging);
  absl::StatusOr<std::string> response = command->respond(staged);
  if (!response.ok()) return Fail(command, response.status());

  storage::AppendRequest request;
  request.audit = command->context.audit;
  request.time = command->context.time;
  request.justification = std::move(plan.justification());
  request.expectations = std::move(expectations);
  request.events = std::move(plan.events());
  request.projection_writes = staged.TakeWrites();
  request.projection_reads = staged.TakeReads();
  request.idempotency_key = command->context.idempotency_key;
  request.response = *std::move(response);
  storage::AppendCallbacks callbacks;
  // On the sequencer's thread, or on this one before AppendAsync returns:
  // only free the keys or hand off.
  callbacks.sequenced = [this, command](const absl::Status& status) {
    if (status.ok()) return Release(command);
    if (absl::IsAborted(status) && command->attempts < kMaxAttempts) {
      return Continue(command, &CommandRunner::Attempt);
    }
    executor_.Schedule([this, command, status = ForClient(status)] {
      Fail(command, status);
    });
  };
  callbacks.durable = [this, command](
                          absl::StatusOr<storage::AppendResult> result) {
    if (result.ok()) return command->reply(std::move(result->response));
    ReplyFailure(command, ForClient(result.status()));
  };
  store_.AppendAsync(std::move(request), std::move(callbacks));
}

void CommandRunner::Fail(const CommandPtr& command,
                         absl::Status failure) const {
  Release(command);
  ReplyFailure(command, std::move(failure));
}

void CommandRunner::ReplyFailure(const CommandPtr& command,
                                 absl::Status failure) const {
  // The failure may rest on sequenced state (a pending etag, an asset being
  // created): it is answered only once that state is durable. And unless an
  // identical request committed or is committing meanwhile: then a retry
  // that raced its first attempt (and so saw the state that attempt left,
  // e.g. "already exists" or a moved etag) gets the first result (AIP-155).
  store_.AwaitIdempotentResponse(
      command->context.idempotency_key, command->context.audit.request_digest,
      [command, failure = std::move(failure)](
          absl::StatusOr<std::optional<std::string>> earlier) {
        if (!earlier.ok()) return command->reply(ForClient(earlier.status()));
        if (earlier->has_value()) return command->reply(**std::move(earlier));
        command->reply(failure);
      });
}

}  // namespace riskledger
