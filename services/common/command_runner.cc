// CommandRunner: the decide → project → append loop.
#include "services/common/command_runner.h"

#include <algorithm>
#include <map>
#include <memory>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "services/base/status_details.h"
#include "services/base/status_macros.h"

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

// `failure`, unless an identical request committed meanwhile: then a retry
// that raced its first attempt (and so saw the state that attempt left, e.g.
// "already exists" or a moved etag) gets the first result (AIP-155).
absl::StatusOr<std::string> FailureOrEarlierResponse(
    storage::EventStore& store, const CommandContext& context,
    absl::Status failure) {
  ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                   EarlierResponse(store, context));
  if (earlier.has_value()) return *std::move(earlier);
  return failure;
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

absl::StatusOr<std::string> CommandRunner::Execute(
    const CommandContext& context, const DecideFn& decide,
    const RespondFn& respond) const {
  std::vector<size_t> stripes;
  stripes.reserve(context.serialization_keys.size());
  for (const std::string& key : context.serialization_keys) {
    stripes.push_back(absl::Hash<std::string>()(key) % kLockStripes);
  }
  // A fixed order over stripes makes multi-key commands deadlock-free.
  std::sort(stripes.begin(), stripes.end());
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  // RAII: whatever leaves this scope (a return or an exception thrown by
  // `decide`), the stripes are released.
  std::vector<std::unique_ptr<absl::MutexLock>> held;
  held.reserve(stripes.size());
  for (size_t stripe : stripes) {
    held.push_back(std::make_unique<absl::MutexLock>(&stripes_[stripe]));
  }
  // Waiting for the stripes may outlast the caller: then do nothing.
  if (absl::Now() >= context.deadline) {
    return absl::DeadlineExceededError(
        "the call's deadline passed before the command could run");
  }
  return ExecuteUnlocked(context, decide, respond);
}

absl::StatusOr<std::string> CommandRunner::ExecuteUnlocked(
    const CommandContext& call_context, const DecideFn& decide,
    const RespondFn& respond) const {
  // The log keeps times in microseconds (EVENT_FORMAT.md): stage with the
  // time the log will hold, so that a rebuild derives the same read models.
  CommandContext context = call_context;
  context.time = absl::FromUnixMicros(absl::ToUnixMicros(call_context.time));
  ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                   EarlierResponse(store_, context));
  if (earlier.has_value()) return *std::move(earlier);
  absl::Status last_conflict;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    CommandPlan plan(store_);
    absl::Status decided = decide(plan);
    if (decided.ok()) decided = plan.status();
    if (!decided.ok()) {
      return FailureOrEarlierResponse(store_, context, decided);
    }
    std::vector<storage::StreamExpectation> expectations =
        plan.TakeExpectations();
    std::map<std::string, int64_t> versions;
    for (const storage::StreamExpectation& expectation : expectations) {
      versions[expectation.stream_id] = expectation.expected_version;
    }
    // Project the events exactly as a rebuild from the log would.
    storage::StagedProjection staged(store_);
    absl::Status staging;
    for (const storage::NewEvent& event : plan.events()) {
      auto version = versions.find(event.stream_id);
      if (version == versions.end() || version->second < 0) {
        return absl::InternalError(absl::StrCat(
            "command has no expected version for stream ", event.stream_id));
      }
      storage::EventEnvelope envelope;
      envelope.stream_id = event.stream_id;
      envelope.stream_version = ++version->second;
      envelope.type = event.type;
      envelope.payload = event.payload;
      envelope.time = context.time;
      envelope.principal = context.audit.principal;
      envelope.justification = plan.justification();
      staging = registry_.Apply(envelope, staged);
      if (!staging.ok()) break;
    }
    if (absl::IsAborted(staging)) {  // a stream moved since `decide` read it
      last_conflict = staging;
      continue;
    }
    RETURN_IF_ERROR(staging);
    ASSIGN_OR_RETURN(std::string response, respond(staged));

    storage::AppendRequest request;
    request.audit = context.audit;
    request.time = context.time;
    request.justification = std::move(plan.justification());
    request.expectations = std::move(expectations);
    request.events = std::move(plan.events());
    request.projection_writes = staged.TakeWrites();
    request.projection_reads = staged.TakeReads();
    request.idempotency_key = context.idempotency_key;
    request.response = std::move(response);
    absl::StatusOr<storage::AppendResult> result =
        store_.Append(std::move(request));
    if (result.ok()) return std::move(result->response);
    if (!absl::IsAborted(result.status())) {
      return FailureOrEarlierResponse(store_, context,
                                      ForClient(result.status()));
    }
    last_conflict = result.status();
  }
  return last_conflict;
}

}  // namespace riskledger
