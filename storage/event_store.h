// The event store: the append-only, hash-chained log of every command's events,
// with the projections (read models) and idempotency records written atomically
// beside them. This header is the contract; rocksdb_event_store.h implements
// it.
#ifndef RISKLEDGER_STORAGE_EVENT_STORE_H_
#define RISKLEDGER_STORAGE_EVENT_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/projector.h"

namespace riskledger::storage {

// Expected version of a stream that must not exist yet (its version is 0).
inline constexpr int64_t kNoStream = 0;
// Expected version that accepts any current version (no concurrency check).
inline constexpr int64_t kAnyVersion = -1;

// Who issued a command, from where, and which request it was (M14).
struct AuditContext {
  std::string principal;
  std::string peer;
  std::string method;
  std::string request_id;
  // Hex SHA-256 of the serialized request; tells a retry from a reuse.
  std::string request_digest;
};

// One event to append: the sequencer assigns its position, stream version and
// hashes.
struct NewEvent {
  std::string stream_id;
  std::string type;
  std::string payload;
};

// Optimistic-concurrency check on one stream: the append fails with ABORTED
// unless the stream is at `expected_version` (or kAnyVersion).
struct StreamExpectation {
  std::string stream_id;
  int64_t expected_version = kAnyVersion;
};

// Everything one command writes. Applied in one atomic, synced write: events,
// projection writes and the idempotency record, or nothing.
struct AppendRequest {
  AuditContext audit;
  // Time at which the command was decided; recorded in every event.
  absl::Time time = absl::UnixEpoch();
  // Outcome recorded with the events, e.g. "OK".
  std::string result = "OK";
  std::string justification;
  std::vector<StreamExpectation> expectations;
  std::vector<NewEvent> events;
  // Must be the output of the Projector over `events` (see StagedProjection).
  std::vector<ProjectionWrite> projection_writes;
  // The projection values the writes were derived from: the append fails
  // with ABORTED (and writes nothing) unless each is unchanged at commit.
  std::vector<ProjectionRead> projection_reads;
  // Empty: no idempotency. Otherwise a retry with the same key and digest
  // returns the first result; the same key with another digest is rejected.
  std::string idempotency_key;
  // The response, returned to retries: its canonical encoding
  // (EVENT_FORMAT.md "Response digest"). Every entry of the append records
  // its digest, so the answer a retry gets is bound to the log (M14).
  std::string response;
};

// What an append wrote (or, for a replayed request, had written).
struct AppendResult {
  int64_t first_position = 0;
  int64_t last_position = 0;
  std::string response;
  // True when the request was a retry answered from the idempotency record.
  bool replayed = false;
};

// What an asynchronous append reports, and when. Both callbacks run on the
// store's threads, and `sequenced` may also run on the caller's, before
// AppendAsync returns: they must be short, must not block (hand real work to
// an executor), and must not need a lock the caller of AppendAsync holds.
// Appends whose `sequenced` has not run yet are not ordered among
// themselves: a caller that needs an order waits for `sequenced`.
struct AppendCallbacks {
  // Exactly once, when the sequencer has checked the append: OK when it took
  // its place in the log (it is written with its group, and
  // SequencedProjections() shows its projection writes from now on), or why
  // it was refused (it then wrote nothing and `durable` is never called).
  std::function<void(absl::Status)> sequenced;
  // Exactly once after `sequenced` reported OK: the append's result once its
  // group is durable, or the error that kept the group out of the log
  // (UNAVAILABLE; nothing of the append was written).
  std::function<void(absl::StatusOr<AppendResult>)> durable;
};

// One entry of the log, as stored. Format: storage/EVENT_FORMAT.md.
struct EventEnvelope {
  int64_t position = 0;
  std::string stream_id;
  int64_t stream_version = 0;
  std::string type;
  std::string payload;
  absl::Time time = absl::UnixEpoch();
  std::string principal;
  std::string peer;
  std::string method;
  std::string request_id;
  std::string request_digest;
  std::string response_digest;
  std::string result;
  std::string justification;
  // SHA-256 of the previous entry (32 zero bytes for the first) and of this
  // one.
  std::string prev_hash;
  std::string hash;
};

// The newest entry of the chain.
struct ChainHead {
  int64_t position = 0;  // 0 when the log is empty
  std::string hash;      // 32 zero bytes when the log is empty
};

// The append-only event store.
//
// Thread safety: every method may be called concurrently. Appends pass through
// one sequencer that assigns positions and chains hashes in order; a call
// returns only after its write is durable (synced) unless the store was opened
// without sync. Reads see every append that returned before they started.
class EventStore : public ProjectionReader {
 public:
  ~EventStore() override = default;

  // Appends a command's events atomically, without blocking the caller:
  // `callbacks` report the outcome. Refusals (reported by `sequenced`):
  // ABORTED when a stream expectation fails or a projection read changed;
  // ALREADY_EXISTS when the idempotency key was used for a different request
  // (another digest); INVALID_ARGUMENT for an empty request; UNAVAILABLE
  // when the store is closing or cannot write. A refused or failed append
  // writes nothing.
  virtual void AppendAsync(AppendRequest request,
                           AppendCallbacks callbacks) = 0;

  // AppendAsync, waiting for the append to be durable (or refused).
  absl::StatusOr<AppendResult> Append(AppendRequest request);

  // The projections as the log will be once every sequenced append is
  // durable: what commands decide and stage on, so that a command on a
  // stream need not wait for the previous command's sync. Never serve these
  // to a reader (a crash can still lose what is not durable); reads use
  // GetProjection/ScanProjection, which see only durable appends.
  virtual ProjectionLookup& SequencedProjections() = 0;

  // Current version of a stream (number of events in it; 0 if none).
  virtual absl::StatusOr<int64_t> StreamVersion(
      absl::string_view stream_id) = 0;

  // Up to `max_count` events of a stream with version >= `from_version`, in
  // version order.
  virtual absl::StatusOr<std::vector<EventEnvelope>> ReadStream(
      absl::string_view stream_id, int64_t from_version, size_t max_count) = 0;

  // Up to `max_count` events with position >= `from_position`, in order.
  virtual absl::StatusOr<std::vector<EventEnvelope>> ReadAll(
      int64_t from_position, size_t max_count) = 0;

  // The newest entry of the hash chain.
  virtual absl::StatusOr<ChainHead> Head() = 0;

  // The stored response of an earlier request with this idempotency key, if
  // its digest matches; ALREADY_EXISTS if the key was used for another
  // request; nullopt if the key is unknown.
  virtual absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      absl::string_view idempotency_key, absl::string_view request_digest) = 0;

  // As FindIdempotentResponse, but it also sees appends sequenced and not
  // yet durable, and answers (through `done`, on a store thread) only once
  // what it found, and every append sequenced before, is durable. For a
  // command that failed: its retry must get the first result, and a failure
  // decided on sequenced state must not be reported before that state is
  // durable. With an empty key it is only that barrier (answers nullopt).
  virtual void AwaitIdempotentResponse(
      std::string idempotency_key, std::string request_digest,
      std::function<void(absl::StatusOr<std::optional<std::string>>)>
          done) = 0;

  // GetProjection and ScanProjection (ProjectionReader) read the latest
  // committed projections; each call on its own.

  // The projections as of now, frozen: reads through the snapshot never see
  // later appends, so several reads (an index scan and the models it names)
  // agree with each other. Must not outlive the store.
  virtual absl::StatusOr<std::unique_ptr<ProjectionReader>>
  SnapshotProjections() = 0;

  // Drops every projection and derives it again from the log with `projector`.
  // Offline only: no other call may use the store meanwhile (reads would see
  // partial projections). riskledgerd runs it with --rebuild_projections,
  // holding the data directory's lock.
  virtual absl::Status RebuildProjections(const Projector& projector) = 0;
};

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_EVENT_STORE_H_
