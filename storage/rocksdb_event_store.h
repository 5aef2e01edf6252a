// The production EventStore: embedded RocksDB, a sequencer thread that
// checks and stages concurrent appends into a group while a writer thread
// syncs the previous group (group commit, pipelined).
#ifndef RISKLEDGER_STORAGE_ROCKSDB_EVENT_STORE_H_
#define RISKLEDGER_STORAGE_ROCKSDB_EVENT_STORE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/audit/merkle_frontier.h"
#include "storage/audit/merkle_tiles.h"
#include "storage/audit_log.h"
#include "storage/event_codec.h"
#include "storage/event_store.h"
#include "storage/rebuild_projection.h"
#include "storage/recent_projections.h"
#include "storage/executor.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Env;
class FileSystem;
}  // namespace rocksdb

namespace riskledger::storage {

// How to open a RocksDbEventStore.
struct RocksDbEventStoreOptions {
  // Data directory.
  std::string path;
  // When true (the default) an append is durable only once its write-ahead-
  // log record is synced to disk.
  bool sync_writes = true;
  // Create the store when the directory holds none.
  bool create_if_missing = true;
  // Open even when an earlier projection rebuild was interrupted (only to
  // rebuild again); otherwise such a store is refused.
  bool allow_incomplete_projections = false;
  // How much of the projections RebuildProjections may hold in memory before
  // it writes them out (and reads them back from the store when needed).
  size_t rebuild_memory_bytes = kDefaultRebuildMemoryBytes;
  // How much of the projection values written lately (keys and values) the
  // sequencer keeps in memory once durable, so that deciding a command on a
  // resource written lately does not search the database (RecentProjections).
  size_t recent_projection_bytes = size_t{32} << 20;
  // Runs the `durable` callbacks of appends, so that the writer thread only
  // writes. Must outlive the store. Null: the store uses a pool of its own.
  Executor* completions = nullptr;
  // The file system under the database; null: the machine's. Tests inject
  // storage faults through it (a rocksdb::FileSystemWrapper).
  std::shared_ptr<rocksdb::FileSystem> file_system;
  // After a failed log write the store refuses appends (UNAVAILABLE) and
  // tries to resume the database this often until it succeeds.
  absl::Duration recovery_interval = absl::Seconds(1);
  // Told when appends stop being accepted (the fault: a failed log write,
  // on the writer thread, or a failed verification, on the thread that
  // called RefuseWrites) and when they are accepted again (OK, only after a
  // storage fault). Must not append to the store.
  std::function<void(const absl::Status&)> on_writability_change;
};

// EventStore and AuditLog on RocksDB. Thread-safe. Owns the database; the
// destructor drains pending appends, stops the sequencer and closes the
// database. Each group's batch also carries the Merkle tree tiles its
// entries change (storage/audit/merkle_tiles.h).
class RocksDbEventStore : public EventStore, public AuditLog {
 public:
  // Largest batch one group writes: appends beyond it wait for the next
  // group (an append larger on its own is written alone).
  static constexpr size_t kMaxGroupBytes = size_t{8} << 20;

  // Opens (or creates) the store. FAILED_PRECONDITION when the directory is
  // unusable, locked by another process, holds no store (and
  // create_if_missing is false), or holds projections of an interrupted
  // rebuild; DATA_LOSS when the log is corrupt. A store whose Merkle tree
  // does not cover its log opens refusing writes (integrity_fault()); one
  // written before the tree existed gets its tree built first.
  static absl::StatusOr<std::unique_ptr<RocksDbEventStore>> Open(
      const RocksDbEventStoreOptions& options);

  // Closes the store if Close was not called, logging any error.
  ~RocksDbEventStore() override;
  RocksDbEventStore(const RocksDbEventStore&) = delete;
  RocksDbEventStore& operator=(const RocksDbEventStore&) = delete;

  // Drains pending appends (every callback has run when it returns), stops
  // the sequencer and writer and closes the database. Appends after Close
  // fail with UNAVAILABLE; no other method may be called after it.
  // Idempotent: later calls return the first result.
  absl::Status Close();

  void AppendAsync(AppendRequest request, AppendCallbacks callbacks) override;
  void AwaitIdempotentResponse(
      std::string idempotency_key, std::string request_digest,
      std::function<void(absl::StatusOr<std::optional<std::string>>)> done)
      override;
  ProjectionLookup& SequencedProjections() override { return sequenced_; }
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

  // AuditLog (rocksdb_audit_log.cc).
  TreeHead DurableTree() override;
  absl::StatusOr<std::string> TreeNode(audit::NodeId node) override;
  std::unique_ptr<TileCursor> ScanTiles(int row, uint64_t from_index) override;
  absl::StatusOr<std::optional<std::string>> ReadTile(
      audit::TileId tile) override;
  absl::StatusOr<std::string> EntryAt(int64_t position) override;
  absl::Status ScanEntries(
      int64_t from_position,
      absl::FunctionRef<absl::Status(int64_t, absl::string_view)> visit)
      override;
  absl::Status SaveCheckpoint(const StoredCheckpoint& checkpoint) override;
  absl::StatusOr<std::optional<StoredCheckpoint>> LatestCheckpoint() override;
  absl::StatusOr<std::vector<StoredCheckpoint>> ListCheckpoints(
      int64_t after_size, size_t max_count) override;
  absl::StatusOr<std::string> EstablishOrigin(
      absl::string_view proposed) override;
  absl::Status AddVerifierKey(absl::string_view encoded) override;
  absl::StatusOr<std::vector<std::string>> VerifierKeys() override;
  void RefuseWrites(const absl::Status& why) override;
  absl::Status integrity_fault() const override;

  // Test-only: commits `requests` as one group, in order, exactly as the
  // sequencer commits the appends that queued while it wrote the previous
  // group (which a test cannot arrange by timing). Returns their results.
  std::vector<absl::StatusOr<AppendResult>> AppendGroupForTesting(
      std::vector<AppendRequest> requests);

  // Number of synced log writes so far (one per group), and of appends
  // acknowledged by them.
  int64_t synced_writes() const;
  // Recovery attempts (DB::Resume and what follows) since open.
  int64_t recovery_attempts() const;
  int64_t acknowledged_appends() const;
  // Bytes of the write batches written so far.
  int64_t written_bytes() const;
  // Backs up the database into `backup_dir` (RocksDB BackupEngine, created
  // when missing) while appends go on; returns the new backup's id. The
  // backup holds a prefix of the log made of whole groups. Backups run one
  // at a time.
  absl::StatusOr<uint32_t> CreateBackup(const std::string& backup_dir);

  // OK while appends are accepted; after a failed log write, the failure,
  // until the database has resumed.
  absl::Status write_fault() const;

 private:
  // One append waiting for the sequencer, or sequenced and waiting for its
  // group's write.
  struct PendingAppend {
    // An append to sequence, with its response digest.
    static std::unique_ptr<PendingAppend> Of(AppendRequest request,
                                             AppendCallbacks callbacks);

    AppendRequest request;
    // ResponseDigest(request.audit.method, request.response), computed on
    // the caller's thread, not the sequencer's.
    std::string response_digest;
    AppendCallbacks callbacks;
    absl::StatusOr<AppendResult> result = absl::UnknownError("pending");
    // Only looks up the request's idempotency key (AwaitIdempotentResponse):
    // `result` is the record found (replayed) or an empty result.
    bool lookup_only = false;
  };
  // A group: the appends sequenced since the writer took the previous one.
  struct Group;
  // A value staged by a group not yet durable (projection or idempotency).
  template <typename Value>
  struct Pending {
    Value value;
    uint64_t group = 0;
  };
  using ProjectionKey = RecentProjections::Key;

  // SequencedProjections(): values staged or written lately
  // (RecentProjections) first, then the database.
  class SequencedReader : public ProjectionLookup {
   public:
    explicit SequencedReader(RocksDbEventStore& store) : store_(store) {}
    absl::StatusOr<std::optional<std::string>> GetProjection(
        ProjectionTable table, absl::string_view key) override;

   private:
    RocksDbEventStore& store_;
  };

  // The store's tree over the first `size` entries from its stored tiles
  // (built from the log first when the store has no tree at all), or
  // DATA_LOSS when tiles are missing, malformed or cover another log.
  static absl::StatusOr<audit::TiledTree> LoadTree(
      rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
      int64_t size);

  RocksDbEventStore(std::unique_ptr<rocksdb::Env> env,
                    std::unique_ptr<rocksdb::DB> db,
                    std::vector<rocksdb::ColumnFamilyHandle*> handles,
                    RocksDbEventStoreOptions options, ChainHead head,
                    absl::StatusOr<audit::TiledTree> tree);

  void SequencerLoop();
  void WriterLoop();
  // Folds `group`'s leaves into written_tree_ and puts the tiles they change
  // into its batch. Writer thread only.
  absl::Status StoreTreeTiles(Group& group);
  // Stages `pending` on the calling thread when nobody else stages (and
  // takes it); false when the sequencer must take it.
  bool StagedHere(std::unique_ptr<PendingAppend>& pending) noexcept
      ABSL_LOCKS_EXCLUDED(stage_mu_);
  // Checks and stages `appends` into the filling group, reporting each; a
  // full group first waits for the writer (releasing the lock meanwhile).
  void Sequence(std::deque<std::unique_ptr<PendingAppend>>& appends)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(stage_mu_);
  // Checks and stages one append into the filling group, never waiting.
  void SequenceOne(std::unique_ptr<PendingAppend> pending)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(stage_mu_);
  bool FillingHasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(stage_mu_);
  // Checks and stages one append into `group`; on error stages nothing.
  absl::StatusOr<AppendResult> StageAppend(const AppendRequest& request,
                                           absl::string_view response_digest,
                                           Group& group)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(stage_mu_);
  // The version of `stream` once every sequenced append is durable.
  absl::StatusOr<int64_t> SequencedVersion(const std::string& stream)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(stage_mu_);
  absl::StatusOr<std::optional<IdempotencyRecord>> SequencedIdempotency(
      const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(stage_mu_);
  // After `group`'s write: publish it, or forget everything staged on it.
  void Settle(Group& group, const absl::Status& written,
              std::vector<std::unique_ptr<PendingAppend>>& failed_later)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(stage_mu_);
  // After a failed write: resumes the database (RocksDB flushes every
  // memtable, so the log file that may hold the failed batch is never
  // replayed) and accepts appends again if the log still ends at the durable
  // head; otherwise schedules the next attempt.
  void AttemptRecovery();
  absl::Status RetireFailedLogFile();
  absl::Status CheckLogEndsAtDurableHead();
  void ReportWritability(const absl::Status& fault);
  // Runs the `durable` callbacks of `appends` on the completion executor.
  void Complete(std::vector<std::unique_ptr<PendingAppend>> appends);

  // The durable log's size without computing the tree's root (which
  // DurableTree does): node and entry reads check their range with it.
  int64_t DurableSize();
  absl::StatusOr<int64_t> ReadStreamVersion(absl::string_view stream_id);
  // The record of `key`, once CheckBoundToLog passed.
  absl::StatusOr<std::optional<IdempotencyRecord>> ReadIdempotency(
      absl::string_view key);
  // DATA_LOSS unless the entry at the record's first position records the
  // record's request digest and the digest of its response.
  absl::Status CheckBoundToLog(const IdempotencyRecord& record);
  absl::StatusOr<EventEnvelope> ReadEventAt(int64_t position);
  rocksdb::ColumnFamilyHandle* Family(int family) const {
    return handles_[family];
  }
  rocksdb::ColumnFamilyHandle* TableFamily(ProjectionTable table) const;

  // The file system of options_.file_system, if any; outlives db_.
  std::unique_ptr<rocksdb::Env> env_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  const RocksDbEventStoreOptions options_;
  std::unique_ptr<Executor> own_completions_;
  Executor* completions_;
  SequencedReader sequenced_{*this};

  // Appends not yet sequenced.
  absl::Mutex queue_mu_;
  std::deque<std::unique_ptr<PendingAppend>> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;

  // The sequencer's view: what the log will be once every sequenced append
  // is durable. Held while staging and while the writer swaps or settles a
  // group; never across a write. Also serialises rebuilds with groups.
  mutable absl::Mutex stage_mu_;
  std::unique_ptr<Group> filling_ ABSL_GUARDED_BY(stage_mu_);
  // Head of the chain including sequenced appends.
  ChainHead sequenced_head_ ABSL_GUARDED_BY(stage_mu_);
  // Not OK once the log failed verification (RefuseWrites); never cleared.
  absl::Status integrity_fault_ ABSL_GUARDED_BY(stage_mu_);
  // Stream versions: the sequencer is the only writer, so once read they
  // stay right. About 100 bytes per stream written or checked since start.
  std::unordered_map<std::string, int64_t> versions_ ABSL_GUARDED_BY(stage_mu_);
  std::unordered_map<std::string, Pending<IdempotencyRecord>>
      pending_idempotency_ ABSL_GUARDED_BY(stage_mu_);
  bool sequencer_done_ ABSL_GUARDED_BY(stage_mu_) = false;
  // Not OK from a failed log write until the database resumed; appends are
  // refused meanwhile.
  absl::Status fault_ ABSL_GUARDED_BY(stage_mu_);
  absl::Time next_recovery_ ABSL_GUARDED_BY(stage_mu_);
  bool recovery_failure_logged_ ABSL_GUARDED_BY(stage_mu_) = false;
  int64_t recovery_attempts_ ABSL_GUARDED_BY(stage_mu_) = 0;

  // Projection values of groups not yet durable, and those written lately,
  // read by deciding commands.
  absl::Mutex pending_mu_ ACQUIRED_AFTER(stage_mu_);
  RecentProjections recent_projections_ ABSL_GUARDED_BY(pending_mu_);

  // The durable head, answered without waiting for a write.
  mutable absl::Mutex head_mu_ ACQUIRED_AFTER(stage_mu_);
  ChainHead durable_head_ ABSL_GUARDED_BY(head_mu_);
  audit::MerkleFrontier durable_tree_ ABSL_GUARDED_BY(head_mu_);
  int64_t synced_writes_ ABSL_GUARDED_BY(head_mu_) = 0;
  int64_t acknowledged_appends_ ABSL_GUARDED_BY(head_mu_) = 0;
  int64_t written_bytes_ ABSL_GUARDED_BY(head_mu_) = 0;

  // `durable` callbacks scheduled and not yet run; Close waits for none.
  absl::Mutex completion_mu_;
  int outstanding_completions_ ABSL_GUARDED_BY(completion_mu_) = 0;

  std::thread sequencer_;
  std::thread writer_;
  // The tree over every entry the writer has put into a batch: only the
  // writer thread touches it once the store is open. The sequencer hashes
  // each entry's leaf; the writer folds a group's leaves into this tree and
  // stores the tiles they change in the group's batch, off the sequencer's
  // path and once per group rather than per entry.
  audit::TiledTree written_tree_;

  absl::Mutex backup_mu_;
  // Set by Close (which waits for a running backup): later backups fail.
  bool backups_closed_ ABSL_GUARDED_BY(backup_mu_) = false;

  absl::Mutex close_mu_;
  std::optional<absl::Status> close_status_ ABSL_GUARDED_BY(close_mu_);
};

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_ROCKSDB_EVENT_STORE_H_
