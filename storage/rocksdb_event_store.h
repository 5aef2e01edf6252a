// The production EventStore: embedded RocksDB, one sequencer thread that
// batches concurrent appends into a single synced write (group commit).
#ifndef RISKLEDGER_STORAGE_ROCKSDB_EVENT_STORE_H_
#define RISKLEDGER_STORAGE_ROCKSDB_EVENT_STORE_H_

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "storage/event_codec.h"
#include "storage/event_store.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace riskledger::storage {

// How to open a RocksDbEventStore.
struct RocksDbEventStoreOptions {
  // Data directory.
  std::string path;
  // When true (the default) an append returns only after its write-ahead-log
  // record is synced to disk.
  bool sync_writes = true;
  // Create the store when the directory holds none.
  bool create_if_missing = true;
  // Open even when an earlier projection rebuild was interrupted (only to
  // rebuild again); otherwise such a store is refused.
  bool allow_incomplete_projections = false;
};

// EventStore on RocksDB. Thread-safe. Owns the database; the destructor drains
// pending appends, stops the sequencer and closes the database.
class RocksDbEventStore : public EventStore {
 public:
  // Opens (or creates) the store. FAILED_PRECONDITION when the directory is
  // unusable, locked by another process, holds no store (and
  // create_if_missing is false), or holds projections of an interrupted
  // rebuild; DATA_LOSS when the log is corrupt.
  static absl::StatusOr<std::unique_ptr<RocksDbEventStore>> Open(
      const RocksDbEventStoreOptions& options);

  // Closes the store if Close was not called, logging any error.
  ~RocksDbEventStore() override;
  RocksDbEventStore(const RocksDbEventStore&) = delete;
  RocksDbEventStore& operator=(const RocksDbEventStore&) = delete;

  // Drains pending appends, stops the sequencer and closes the database.
  // Appends after Close fail with UNAVAILABLE; no other method may be called
  // after it. Idempotent: later calls return the first result.
  absl::Status Close();

  absl::StatusOr<AppendResult> Append(AppendRequest request) override;
  absl::StatusOr<int64_t> StreamVersion(absl::string_view stream_id) override;
  absl::StatusOr<std::vector<EventEnvelope>> ReadStream(
      absl::string_view stream_id, int64_t from_version,
      size_t max_count) override;
  absl::StatusOr<std::vector<EventEnvelope>> ReadAll(int64_t from_position,
                                                     size_t max_count) override;
  absl::StatusOr<ChainHead> Head() override;
  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      absl::string_view idempotency_key,
      absl::string_view request_digest) override;
  absl::StatusOr<std::optional<std::string>> GetProjection(
      ProjectionTable table, absl::string_view key) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  ScanProjection(ProjectionTable table, absl::string_view prefix,
                 absl::string_view start_after, size_t max_count) override;
  absl::StatusOr<std::unique_ptr<ProjectionReader>> SnapshotProjections()
      override;
  absl::Status RebuildProjections(const Projector& projector) override;

  // Test-only: commits `requests` as one group, in order, exactly as the
  // sequencer commits the appends that queued while it wrote the previous
  // group (which a test cannot arrange by timing). Returns their results.
  std::vector<absl::StatusOr<AppendResult>> AppendGroupForTesting(
      std::vector<AppendRequest> requests);

 private:
  // One caller's append, waiting for the sequencer.
  struct PendingAppend {
    AppendRequest request;
    absl::StatusOr<AppendResult> result;
    bool done = false;
  };
  // Facts learned while sequencing one group, not yet in the database.
  struct GroupState;

  RocksDbEventStore(std::unique_ptr<rocksdb::DB> db,
                    std::vector<rocksdb::ColumnFamilyHandle*> handles,
                    RocksDbEventStoreOptions options, ChainHead head);

  void SequencerLoop();
  // Sequences and durably writes one group; fills every result.
  void CommitGroup(std::vector<PendingAppend*>& group)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Checks and stages one append into `group`; on error stages nothing.
  absl::StatusOr<AppendResult> StageAppend(const AppendRequest& request,
                                           GroupState& group)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::StatusOr<int64_t> ReadStreamVersion(absl::string_view stream_id);
  absl::StatusOr<std::optional<IdempotencyRecord>> ReadIdempotency(
      absl::string_view key);
  absl::StatusOr<EventEnvelope> ReadEventAt(int64_t position);
  rocksdb::ColumnFamilyHandle* Family(int family) const {
    return handles_[family];
  }
  rocksdb::ColumnFamilyHandle* TableFamily(ProjectionTable table) const;

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  const RocksDbEventStoreOptions options_;

  // Serialises everything that writes: the sequencer's groups and rebuilds.
  absl::Mutex write_mu_;
  ChainHead head_ ABSL_GUARDED_BY(write_mu_);

  absl::Mutex queue_mu_;
  std::deque<PendingAppend*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;

  std::thread sequencer_;

  absl::Mutex close_mu_;
  std::optional<absl::Status> close_status_ ABSL_GUARDED_BY(close_mu_);
};

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_ROCKSDB_EVENT_STORE_H_
