// RocksDbEventStore: sequencer, group commit, reads and projection rebuild.
#include "storage/rocksdb_event_store.h"

#include <future>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/backup_engine.h"
#include "rocksdb/write_batch.h"
#include "services/base/log.h"
#include "services/base/status_macros.h"
#include "storage/audit_family_keys.h"
#include "storage/column_families.h"
#include "storage/chain_verifier.h"
#include "storage/rebuild_projection.h"
#include "storage/rocks_status.h"
#include "storage/write_fault_listener.h"

namespace riskledger::storage {
namespace {

// Threads of the store's own completion pool (see Complete).
constexpr int kCompletionThreads = 2;

// Log entries read at a time while projections are rebuilt.
constexpr size_t kRebuildChunk = 1000;
// The size of each write that moves rebuilt projections to the store.
constexpr size_t kRebuildBatchBytes = size_t{8} << 20;

absl::Status KeyReusedError(absl::string_view key) {
  return absl::AlreadyExistsError(absl::StrCat(
      "idempotency key '", key, "' was already used for a different request"));
}

std::string StreamKey(absl::string_view stream_id, int64_t version) {
  return absl::StrCat(stream_id, absl::string_view("\0", 1),
                      EncodeKeyU64(static_cast<uint64_t>(version)));
}

// Point lookups (read models, idempotency keys, a stream's latest version)
// mostly ask for keys that exist in one file of several, or for new keys
// that exist nowhere: bloom filters let RocksDB skip the other files, and
// the memtable's own filter spares the search of its skip list (every new
// request id is such a miss). The log is read by position and scanned,
// where filters buy nothing.
rocksdb::ColumnFamilyOptions FamilyOptions(int family) {
  rocksdb::ColumnFamilyOptions options;
  if (family == kStateFamily || family == kIdempotencyFamily ||
      family == kStreamsFamily) {
    rocksdb::BlockBasedTableOptions table;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    if (family != kStreamsFamily) {  // streams: read by iterator only
      options.memtable_whole_key_filtering = true;
      options.memtable_prefix_bloom_size_ratio = 0.02;
    }
  }
  return options;
}

}  // namespace

// The appends sequenced since the writer took the previous group, and what
// they staged.
struct RocksDbEventStore::Group {
  uint64_t id = 0;
  rocksdb::WriteBatch batch;
  std::vector<std::unique_ptr<PendingAppend>> appends;
  // Projection keys this group staged (RecentProjections: held until the
  // group is durable, then kept within the budget).
  std::vector<ProjectionKey> projection_keys;
  std::vector<std::string> idempotency_keys;
  // The chain head after the group, if it staged any entry.
  std::optional<ChainHead> head;
  // The leaf hash of every entry the group staged, in position order: the
  // writer folds them into the tree (StoreTreeTiles).
  std::vector<std::string> leaves;
};

absl::StatusOr<std::unique_ptr<RocksDbEventStore>> RocksDbEventStore::Open(
    const RocksDbEventStoreOptions& options) {
  rocksdb::DBOptions db_options;
  std::unique_ptr<rocksdb::Env> env;
  if (options.file_system != nullptr) {
    env = rocksdb::NewCompositeEnv(options.file_system);
    db_options.env = env.get();
  }
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  // Every acknowledged append was synced, so a WAL can only legitimately end
  // in a torn record of an unacknowledged write (a crash mid-write). That
  // tail is tolerated; any other damage makes Open fail with DATA_LOSS
  // instead of the default point-in-time recovery, which would silently
  // drop every acknowledged entry after the damage.
  db_options.wal_recovery_mode =
      rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  db_options.listeners.push_back(std::make_shared<WriteFaultListener>());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(kColumnFamilyNames.size());
  for (int family = 0; family < kColumnFamilyCount; ++family) {
    descriptors.emplace_back(kColumnFamilyNames[family],
                             FamilyOptions(family));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, options.path,
                                             descriptors, &handles, &raw_db);
  if (!status.ok()) {
    std::string message = absl::StrCat("cannot open data directory '",
                                       options.path, "': ", status.ToString());
    if (status.IsCorruption()) return absl::DataLossError(message);
    return absl::FailedPreconditionError(message);
  }
  std::unique_ptr<rocksdb::DB> db(raw_db);
  auto close_handles = [&] {
    for (auto* handle : handles) {
      // Best effort on a failed open: the database closes with `db` anyway.
      (void)db->DestroyColumnFamilyHandle(handle);
    }
  };

  std::string marker;
  rocksdb::Status marked = db->Get(rocksdb::ReadOptions(), handles[kMetaFamily],
                                   kProjectionsIncompleteKey, &marker);
  if (!marked.IsNotFound() && !options.allow_incomplete_projections) {
    close_handles();
    if (!marked.ok()) return FromRocks(marked, "reading store markers");
    return absl::FailedPreconditionError(absl::StrCat(
        "projections in '", options.path,
        "' are incomplete: a rebuild was interrupted; run riskledgerd "
        "--rebuild_projections --data_dir=",
        options.path));
  }

  // The chain head is the last entry of the log.
  ChainHead head{0, GenesisHash()};
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), handles[kEventsFamily]));
  it->SeekToLast();
  if (!it->Valid() && !it->status().ok()) {
    // Not an empty log: an unreadable one. Opening would restart the chain
    // at position 1 over the existing entries.
    absl::Status unreadable = FromRocks(it->status(), "reading the log head");
    it.reset();
    close_handles();
    return unreadable;
  }
  if (it->Valid()) {
    absl::StatusOr<EventEnvelope> last =
        DecodeEvent(absl::string_view(it->value().data(), it->value().size()));
    if (!last.ok()) {
      it.reset();
      close_handles();
      return last.status();
    }
    head = {last->position, last->hash};
  }
  it.reset();
  absl::StatusOr<audit::TiledTree> tree =
      LoadTree(*db, handles, head.position);
  if (!tree.ok() && tree.status().code() != absl::StatusCode::kDataLoss) {
    close_handles();
    return tree.status();
  }
  return std::unique_ptr<RocksDbEventStore>(
      new RocksDbEventStore(std::move(env), std::move(db), std::move(handles),
                            options, head, std::move(tree)));
}

RocksDbEventStore::RocksDbEventStore(
    std::unique_ptr<rocksdb::Env> env, std::unique_ptr<rocksdb::DB> db,
    std::vector<rocksdb::ColumnFamilyHandle*> handles,
    RocksDbEventStoreOptions options, ChainHead head,
    absl::StatusOr<audit::TiledTree> tree)
    : env_(std::move(env)),
      db_(std::move(db)),
      handles_(std::move(handles)),
      options_(std::move(options)),
      own_completions_(options_.completions == nullptr
                           ? NewThreadPoolExecutor(kCompletionThreads)
                           : nullptr),
      completions_(options_.completions != nullptr ? options_.completions
                                                   : own_completions_.get()),
      filling_(std::make_unique<Group>()),
      sequenced_head_(head),
      recent_projections_(options_.recent_projection_bytes),
      durable_head_(std::move(head)) {
  if (tree.ok()) {
    durable_tree_ = tree->frontier();
    written_tree_ = *std::move(tree);
  } else {
    LogError("refusing writes: %s", tree.status().ToString());
    integrity_fault_ = tree.status();
  }
  sequencer_ = std::thread([this] { SequencerLoop(); });
  writer_ = std::thread([this] { WriterLoop(); });
}

RocksDbEventStore::~RocksDbEventStore() {
  absl::Status closed = Close();
  if (!closed.ok()) LogError("closing event store: %s", closed.ToString());
}

absl::Status RocksDbEventStore::Close() {
  absl::MutexLock close_lock(&close_mu_);
  if (close_status_.has_value()) return *close_status_;
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  sequencer_.join();  // the queue is drained, then the writer drains groups
  writer_.join();
  {
    absl::MutexLock backup_lock(&backup_mu_);
    backups_closed_ = true;
  }
  {
    absl::MutexLock lock(&completion_mu_);
    completion_mu_.Await(absl::Condition(
        +[](int* outstanding) { return *outstanding == 0; },
        &outstanding_completions_));
  }
  own_completions_.reset();
  // Flush the memtables, so that the next start need not replay the WAL
  // (measured: 5.9 s to start on a 1M-entry log closed without it). Only a
  // crash leaves a WAL to replay. A failed flush loses nothing: the WAL
  // still holds every synced write.
  absl::Status flushed = FromRocks(
      db_->Flush(rocksdb::FlushOptions(), handles_), "flushing memtables");
  if (!flushed.ok()) {
    LogError("closing event store (the next start replays the WAL): %s",
             flushed.ToString());
  }
  absl::Status result;
  for (auto* handle : handles_) {
    absl::Status destroyed = FromRocks(db_->DestroyColumnFamilyHandle(handle),
                                       "closing column family");
    if (result.ok()) result = destroyed;
  }
  handles_.clear();
  absl::Status closed = FromRocks(db_->Close(), "closing the database");
  if (result.ok()) result = closed;
  close_status_ = result;
  return result;
}

std::unique_ptr<RocksDbEventStore::PendingAppend>
RocksDbEventStore::PendingAppend::Of(AppendRequest request,
                                     AppendCallbacks callbacks) {
  auto pending = std::make_unique<PendingAppend>();
  pending->response_digest =
      ResponseDigest(request.audit.method, request.response);
  pending->request = std::move(request);
  pending->callbacks = std::move(callbacks);
  return pending;
}

void RocksDbEventStore::AppendAsync(AppendRequest request,
                                    AppendCallbacks callbacks) {
  if (request.events.empty()) {
    callbacks.sequenced(
        absl::InvalidArgumentError("an append needs at least one event"));
    return;
  }
  for (const NewEvent& event : request.events) {
    if (event.stream_id.empty() ||
        event.stream_id.find('\0') != std::string::npos) {
      callbacks.sequenced(absl::InvalidArgumentError(
          "stream ids must be non-empty and contain no NUL byte"));
      return;
    }
  }
  std::unique_ptr<PendingAppend> pending =
      PendingAppend::Of(std::move(request), std::move(callbacks));
  bool sequencer_has_work = false;
  {
    absl::MutexLock lock(&queue_mu_);
    sequencer_has_work = stopping_ || !queue_.empty();
  }
  // Nothing queued: stage here if nobody stages, without waking the
  // sequencer thread (a command that others wait for, e.g. the next risk id
  // of a tenant, then frees its keys one hand-off sooner).
  if (!sequencer_has_work && StagedHere(pending)) return;
  {
    absl::MutexLock lock(&queue_mu_);
    if (!stopping_) {
      queue_.push_back(std::move(pending));
      return;
    }
  }
  pending->callbacks.sequenced(
      absl::UnavailableError("event store is closing"));
}

namespace {

// Owns a mutex its creator already locked (with TryLock) and unlocks it on
// every way out of the scope.
class ABSL_SCOPED_LOCKABLE AdoptedLock {
 public:
  explicit AdoptedLock(absl::Mutex& mu) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu)
      : mu_(mu) {}
  ~AdoptedLock() ABSL_UNLOCK_FUNCTION() { mu_.Unlock(); }
  AdoptedLock(const AdoptedLock&) = delete;
  AdoptedLock& operator=(const AdoptedLock&) = delete;

 private:
  absl::Mutex& mu_;
};

}  // namespace

bool RocksDbEventStore::StagedHere(
    std::unique_ptr<PendingAppend>& pending) noexcept {
  if (!stage_mu_.TryLock()) return false;
  AdoptedLock stage_lock(stage_mu_);
  // Only while the lock is held throughout: once the sequencer is done the
  // writer may be gone, and waiting for room in a full group would release
  // the lock (Close could then finish under this thread). The queue takes
  // the append instead.
  if (sequencer_done_ || !FillingHasRoom()) return false;
  // noexcept: what throws here (std::bad_alloc) ends the process, as it
  // does on the sequencer thread, rather than leave the append half staged.
  SequenceOne(std::move(pending));
  return true;
}

void RocksDbEventStore::AwaitIdempotentResponse(
    std::string idempotency_key, std::string request_digest,
    std::function<void(absl::StatusOr<std::optional<std::string>>)> done) {
  auto pending = std::make_unique<PendingAppend>();
  pending->request.idempotency_key = std::move(idempotency_key);
  pending->request.audit.request_digest = std::move(request_digest);
  pending->lookup_only = true;
  pending->result = AppendResult{};
  pending->callbacks.durable =
      [done](absl::StatusOr<AppendResult> found) {
        if (!found.ok()) return done(found.status());
        if (!found->replayed) return done(std::optional<std::string>());
        done(std::optional<std::string>(std::move(found->response)));
      };
  {
    absl::MutexLock lock(&queue_mu_);
    if (!stopping_) {
      queue_.push_back(std::move(pending));
      return;
    }
  }
  done(absl::UnavailableError("event store is closing"));
}

void RocksDbEventStore::SequencerLoop() {
  for (;;) {
    std::deque<std::unique_ptr<PendingAppend>> taken;
    {
      absl::MutexLock lock(&queue_mu_);
      auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
        return stopping_ || !queue_.empty();
      };
      queue_mu_.Await(absl::Condition(&has_work));
      if (queue_.empty()) break;  // stopping and drained
      taken.swap(queue_);
    }
    absl::MutexLock stage_lock(&stage_mu_);
    Sequence(taken);
  }
  absl::MutexLock stage_lock(&stage_mu_);
  sequencer_done_ = true;
}

bool RocksDbEventStore::FillingHasRoom() const {
  return filling_->appends.empty() ||
         filling_->batch.GetDataSize() < kMaxGroupBytes;
}

void RocksDbEventStore::Sequence(
    std::deque<std::unique_ptr<PendingAppend>>& appends) {
  for (std::unique_ptr<PendingAppend>& pending : appends) {
    // A full group waits for the writer to take it (the lock is released
    // meanwhile).
    stage_mu_.Await(absl::Condition(this, &RocksDbEventStore::FillingHasRoom));
    SequenceOne(std::move(pending));
  }
}

void RocksDbEventStore::SequenceOne(std::unique_ptr<PendingAppend> pending) {
  if (pending->lookup_only) {
    // Answered with the group, so after the record it found (and every
    // append sequenced before it) is durable.
    absl::StatusOr<std::optional<IdempotencyRecord>> record =
        std::optional<IdempotencyRecord>();
    if (!pending->request.idempotency_key.empty()) {
      record = SequencedIdempotency(pending->request.idempotency_key);
    }
    if (!record.ok()) {
      pending->result = record.status();
    } else if (record->has_value()) {
      if ((*record)->request_digest != pending->request.audit.request_digest) {
        pending->result = KeyReusedError(pending->request.idempotency_key);
      } else {
        pending->result = AppendResult{(*record)->first_position,
                                       (*record)->last_position,
                                       (*record)->response, true};
      }
    }
    filling_->appends.push_back(std::move(pending));
    return;
  }
  if (!integrity_fault_.ok()) {
    pending->callbacks.sequenced(absl::FailedPreconditionError(absl::StrCat(
        "the log failed verification, so writes are refused (reads and "
        "evidence are served); nothing was written: ",
        integrity_fault_.message())));
    return;
  }
  if (!fault_.ok()) {
    pending->callbacks.sequenced(absl::UnavailableError(absl::StrCat(
        "storage is refusing writes until it recovers from a failed log "
        "write (",
        fault_.message(), "); nothing was written, retry later")));
    return;
  }
  absl::StatusOr<AppendResult> result =
      StageAppend(pending->request, pending->response_digest, *filling_);
  if (!result.ok()) {
    pending->callbacks.sequenced(result.status());
    return;
  }
  pending->result = *std::move(result);
  // Still under stage_mu_: the writer cannot complete the append before
  // its `sequenced` callback returned.
  pending->callbacks.sequenced(absl::OkStatus());
  filling_->appends.push_back(std::move(pending));
}

void RocksDbEventStore::WriterLoop() {
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  for (;;) {
    std::unique_ptr<Group> group;
    bool recover = false;
    {
      absl::MutexLock stage_lock(&stage_mu_);
      auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(stage_mu_) {
        return sequencer_done_ || !filling_->appends.empty();
      };
      if (fault_.ok()) {
        stage_mu_.Await(absl::Condition(&has_work));
      } else {
        stage_mu_.AwaitWithDeadline(absl::Condition(&has_work),
                                    next_recovery_);
      }
      if (!fault_.ok() && absl::Now() >= next_recovery_) {
        recover = true;
      } else if (!filling_->appends.empty()) {
        group = std::move(filling_);
        filling_ = std::make_unique<Group>();
        filling_->id = group->id + 1;
      } else if (sequencer_done_) {
        return;  // all written
      }
    }
    if (recover) {
      AttemptRecovery();
      continue;
    }
    if (group == nullptr) continue;
    // The sequencer stages the next group while this one is synced.
    std::optional<audit::TiledTree> tree_before;
    if (!group->leaves.empty()) tree_before = written_tree_;
    absl::Status written = StoreTreeTiles(*group);
    if (written.ok() && group->batch.Count() > 0) {
      written = FromRocks(db_->Write(write_options, &group->batch),
                          "writing to the log");
    }
    // Nothing of a failed group is in the log: neither is it in the tree.
    if (!written.ok() && tree_before.has_value()) {
      written_tree_ = *std::move(tree_before);
    }
    std::vector<std::unique_ptr<PendingAppend>> failed_later;
    bool became_faulty = false;
    {
      absl::MutexLock stage_lock(&stage_mu_);
      became_faulty = !written.ok() && fault_.ok();
      Settle(*group, written, failed_later);
    }
    if (became_faulty) ReportWritability(written);
    Complete(std::move(group->appends));
    Complete(std::move(failed_later));
  }
}

absl::Status RocksDbEventStore::StoreTreeTiles(Group& group) {
  rocksdb::Status staged;
  auto store = [&](audit::TileId tile, const std::string& hashes) {
    if (staged.ok()) {
      staged = group.batch.Put(Family(kAuditFamily), TreeTileKey(tile), hashes);
    }
  };
  for (std::string& leaf : group.leaves) {
    written_tree_.Append(std::move(leaf), store);
  }
  written_tree_.TakeChangedEdges(store);
  return FromRocks(staged, "staging the Merkle tree's tiles");
}

void RocksDbEventStore::AttemptRecovery() {
  absl::Status resumed =
      FromRocks(db_->Resume(), "resuming the database after the failed write");
  if (resumed.ok()) resumed = RetireFailedLogFile();
  if (resumed.ok()) resumed = CheckLogEndsAtDurableHead();
  {
    absl::MutexLock stage_lock(&stage_mu_);
    ++recovery_attempts_;
    if (!resumed.ok()) {
      next_recovery_ = absl::Now() + options_.recovery_interval;
      if (!recovery_failure_logged_) {
        recovery_failure_logged_ = true;
        LogError("storage not recovered yet (retrying every %s): %s",
                 absl::FormatDuration(options_.recovery_interval),
                 resumed.ToString());
      }
      return;
    }
    fault_ = absl::OkStatus();
    recovery_failure_logged_ = false;
  }
  ReportWritability(absl::OkStatus());
}

absl::Status RocksDbEventStore::RetireFailedLogFile() {
  // Resume flushes only the memtables holding data, and may keep writing
  // into the log file whose write failed. A tombstone of a key no family
  // uses, not logged, in every family, then a flush of all of them, starts a
  // new log file and records in the manifest that no family needs the old
  // one: a restart never replays the failed batch, whatever reached the file.
  rocksdb::WriteOptions unlogged;
  unlogged.disableWAL = true;
  rocksdb::WriteBatch batch;
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    RETURN_IF_ERROR(FromRocks(batch.Delete(handle, kLogRetirementKey),
                              "staging the log retirement"));
  }
  RETURN_IF_ERROR(
      FromRocks(db_->Write(unlogged, &batch), "retiring the failed log file"));
  rocksdb::FlushOptions flush;
  flush.allow_write_stall = true;
  return FromRocks(db_->Flush(flush, handles_), "retiring the failed log file");
}

absl::Status RocksDbEventStore::CheckLogEndsAtDurableHead() {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Family(kEventsFamily)));
  it->SeekToLast();
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the log head"));
  int64_t last = 0;
  if (it->Valid()) {
    ASSIGN_OR_RETURN(EventEnvelope entry,
                     DecodeEvent(absl::string_view(it->value().data(),
                                                   it->value().size())));
    last = entry.position;
  }
  absl::MutexLock head_lock(&head_mu_);
  if (last != durable_head_.position) {
    // The failed batch reached the log after all. Appending on would reuse
    // its positions: only a restart (which reads the head from the log) is
    // safe.
    return absl::DataLossError(absl::StrCat(
        "after the failed write the log ends at position ", last,
        " but the last acknowledged entry is ", durable_head_.position,
        "; restart the server"));
  }
  return absl::OkStatus();
}

void RocksDbEventStore::ReportWritability(const absl::Status& fault) {
  if (fault.ok() && !integrity_fault().ok()) {
    LogInfo("storage recovered from its fault; writes stay refused because "
            "the log failed verification");
    return;
  }
  if (fault.ok()) {
    LogInfo("storage recovered: writes are accepted again");
  } else {
    LogError(
        "storage fault: writes are refused (UNAVAILABLE) until the database "
        "resumes: %s",
        fault.ToString());
  }
  if (options_.on_writability_change) options_.on_writability_change(fault);
}

absl::StatusOr<uint32_t> RocksDbEventStore::CreateBackup(
    const std::string& backup_dir) {
  absl::MutexLock backup_lock(&backup_mu_);
  if (backups_closed_) {
    return absl::FailedPreconditionError(
        "the store is closing: no backup can be taken");
  }
  rocksdb::BackupEngineOptions options(backup_dir);
  options.sync = true;
  rocksdb::BackupEngine* raw_engine = nullptr;
  RETURN_IF_ERROR(FromRocks(
      rocksdb::BackupEngine::Open(options, rocksdb::Env::Default(),
                                  &raw_engine),
      absl::StrCat("opening backup directory '", backup_dir, "'")));
  std::unique_ptr<rocksdb::BackupEngine> engine(raw_engine);
  rocksdb::CreateBackupOptions create;
  // Flushed first, so the backup needs no log file: it ends at the flush.
  create.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  RETURN_IF_ERROR(FromRocks(
      engine->CreateNewBackup(create, db_.get(), &id), "creating the backup"));
  return id;
}

int64_t RocksDbEventStore::recovery_attempts() const {
  absl::MutexLock stage_lock(&stage_mu_);
  return recovery_attempts_;
}

absl::Status RocksDbEventStore::write_fault() const {
  absl::MutexLock stage_lock(&stage_mu_);
  return fault_;
}

void RocksDbEventStore::Settle(
    Group& group, const absl::Status& written,
    std::vector<std::unique_ptr<PendingAppend>>& failed_later) {
  if (written.ok()) {
    {
      absl::MutexLock head_lock(&head_mu_);
      if (group.head.has_value()) {
        durable_head_ = *group.head;
        durable_tree_ = written_tree_.frontier();
        ++synced_writes_;
        written_bytes_ += static_cast<int64_t>(group.batch.GetDataSize());
      }
      for (const auto& pending : group.appends) {
        if (!pending->lookup_only) ++acknowledged_appends_;
      }
    }
    // The database now shows these values; they are kept while the budget
    // allows.
    {
      absl::MutexLock pending_lock(&pending_mu_);
      recent_projections_.Settled(group.id, group.projection_keys);
    }
    for (const std::string& key : group.idempotency_keys) {
      auto it = pending_idempotency_.find(key);
      if (it != pending_idempotency_.end() && it->second.group == group.id) {
        pending_idempotency_.erase(it);
      }
    }
    return;
  }
  // Nothing of the group reached the log, and everything sequenced since
  // rests on it: fail it all, and restart the sequencer's view from the
  // durable log.
  LogError("group commit of %d appends failed: %s", group.appends.size(),
           written.ToString());
  if (fault_.ok()) {
    fault_ = written;
    next_recovery_ = absl::Now() + options_.recovery_interval;
  }
  for (auto& pending : group.appends) pending->result = written;
  failed_later = std::move(filling_->appends);
  for (auto& pending : failed_later) {
    pending->result = absl::UnavailableError(absl::StrCat(
        "an earlier write to the log failed: ", written.message()));
  }
  filling_ = std::make_unique<Group>();
  filling_->id = group.id + 1;
  versions_.clear();
  pending_idempotency_.clear();
  {
    absl::MutexLock pending_lock(&pending_mu_);
    recent_projections_.Clear();
  }
  absl::MutexLock head_lock(&head_mu_);
  sequenced_head_ = durable_head_;
}

void RocksDbEventStore::Complete(
    std::vector<std::unique_ptr<PendingAppend>> appends) {
  if (appends.empty()) return;
  auto shared =
      std::make_shared<std::vector<std::unique_ptr<PendingAppend>>>(
          std::move(appends));
  const size_t jobs = std::min<size_t>(shared->size(), kCompletionThreads);
  {
    absl::MutexLock lock(&completion_mu_);
    outstanding_completions_ += static_cast<int>(jobs);
  }
  for (size_t job = 0; job < jobs; ++job) {
    completions_->Schedule([this, shared, job, jobs] {
      for (size_t i = job; i < shared->size(); i += jobs) {
        PendingAppend& pending = *(*shared)[i];
        pending.callbacks.durable(std::move(pending.result));
      }
      absl::MutexLock lock(&completion_mu_);
      --outstanding_completions_;
    });
  }
}

std::vector<absl::StatusOr<AppendResult>>
RocksDbEventStore::AppendGroupForTesting(std::vector<AppendRequest> requests) {
  std::vector<absl::StatusOr<AppendResult>> results(
      requests.size(), absl::UnknownError("pending"));
  absl::BlockingCounter done(static_cast<int>(requests.size()));
  {
    // Queued together, they are sequenced together, into one group.
    absl::MutexLock lock(&queue_mu_);
    for (size_t i = 0; i < requests.size(); ++i) {
      AppendCallbacks callbacks;
      callbacks.sequenced = [&results, &done, i](absl::Status status) {
        if (status.ok()) return;
        results[i] = std::move(status);
        done.DecrementCount();
      };
      callbacks.durable = [&results, &done,
                           i](absl::StatusOr<AppendResult> result) {
        results[i] = std::move(result);
        done.DecrementCount();
      };
      queue_.push_back(
          PendingAppend::Of(std::move(requests[i]), std::move(callbacks)));
    }
  }
  done.Wait();
  return results;
}

int64_t RocksDbEventStore::synced_writes() const {
  absl::MutexLock lock(&head_mu_);
  return synced_writes_;
}

int64_t RocksDbEventStore::written_bytes() const {
  absl::MutexLock lock(&head_mu_);
  return written_bytes_;
}

int64_t RocksDbEventStore::acknowledged_appends() const {
  absl::MutexLock lock(&head_mu_);
  return acknowledged_appends_;
}

absl::StatusOr<int64_t> RocksDbEventStore::SequencedVersion(
    const std::string& stream) {
  auto it = versions_.find(stream);
  if (it != versions_.end()) return it->second;
  ASSIGN_OR_RETURN(int64_t version, ReadStreamVersion(stream));
  versions_.emplace(stream, version);
  return version;
}

absl::StatusOr<std::optional<IdempotencyRecord>>
RocksDbEventStore::SequencedIdempotency(const std::string& key) {
  auto it = pending_idempotency_.find(key);
  if (it != pending_idempotency_.end()) {
    return std::optional<IdempotencyRecord>(it->second.value);
  }
  return ReadIdempotency(key);
}

absl::StatusOr<std::optional<std::string>>
RocksDbEventStore::SequencedReader::GetProjection(ProjectionTable table,
                                                  absl::string_view key) {
  {
    absl::ReaderMutexLock lock(&store_.pending_mu_);
    const std::optional<std::string>* recent =
        store_.recent_projections_.Find(table, key);
    if (recent != nullptr) return *recent;
  }
  // A group settling meanwhile wrote the database before it could make its
  // values evictable, so this read is never older than the miss above.
  return store_.GetProjection(table, key);
}

absl::StatusOr<AppendResult> RocksDbEventStore::StageAppend(
    const AppendRequest& request, absl::string_view response_digest,
    Group& group) {
  // Idempotency first: a retry must be answered even if its streams moved on.
  if (!request.idempotency_key.empty()) {
    ASSIGN_OR_RETURN(std::optional<IdempotencyRecord> record,
                     SequencedIdempotency(request.idempotency_key));
    if (record.has_value()) {
      if (record->request_digest != request.audit.request_digest) {
        return KeyReusedError(request.idempotency_key);
      }
      return AppendResult{record->first_position, record->last_position,
                          record->response, true};
    }
  }

  // Current version of every stream touched, as this append leaves it.
  std::map<std::string, int64_t> versions;
  auto current_version = [&](const std::string& stream)
                             ABSL_EXCLUSIVE_LOCKS_REQUIRED(stage_mu_)
                                 -> absl::StatusOr<int64_t> {
    auto it = versions.find(stream);
    if (it != versions.end()) return it->second;
    ASSIGN_OR_RETURN(int64_t version, SequencedVersion(stream));
    versions[stream] = version;
    return version;
  };
  for (const StreamExpectation& expectation : request.expectations) {
    ASSIGN_OR_RETURN(int64_t version, current_version(expectation.stream_id));
    if (expectation.expected_version != kAnyVersion &&
        expectation.expected_version != version) {
      return absl::AbortedError(
          absl::StrCat("concurrent modification of ", expectation.stream_id,
                       ": expected version ", expectation.expected_version,
                       ", found ", version, "; re-read and retry"));
    }
  }

  for (const NewEvent& event : request.events) {
    RETURN_IF_ERROR(current_version(event.stream_id).status());
  }
  // Projections are staged outside the sequencer: a value the staging read
  // that another command changed since (one fed by another stream, which
  // this command does not expect) would make its writes lose that update.
  for (const ProjectionRead& read : request.projection_reads) {
    ASSIGN_OR_RETURN(std::optional<std::string> current,
                     sequenced_.GetProjection(read.table, read.key));
    if (current != read.value) {
      return absl::AbortedError(
          absl::StrCat("concurrent modification of projection '", read.key,
                       "' that the command read; re-read and retry"));
    }
  }

  // Checks passed and every version is known. The batch writes come first
  // and each is checked (RocksDB can refuse one, e.g. past its size limits);
  // if any fails, the batch is rolled back to its save point and the
  // sequencer's bookkeeping is untouched, so staging is all-or-nothing.
  group.batch.SetSavePoint();
  rocksdb::Status staged;
  ChainHead head = sequenced_head_;
  std::vector<std::string> leaves;
  leaves.reserve(request.events.size());
  std::vector<std::pair<std::string, int64_t>> new_versions;
  new_versions.reserve(request.events.size());
  for (const NewEvent& event : request.events) {
    const int64_t version = versions[event.stream_id];
    EventEnvelope envelope;
    envelope.position = head.position + 1;
    envelope.stream_id = event.stream_id;
    envelope.stream_version = version + 1;
    envelope.type = event.type;
    envelope.payload = event.payload;
    envelope.time = request.time;
    envelope.principal = request.audit.principal;
    envelope.peer = request.audit.peer;
    envelope.method = request.audit.method;
    envelope.request_id = request.audit.request_id;
    envelope.request_digest = request.audit.request_digest;
    envelope.response_digest = std::string(response_digest);
    envelope.result = request.result;
    envelope.justification = request.justification;
    envelope.prev_hash = head.hash;
    envelope.hash = ComputeEventHash(envelope);
    std::string position_key =
        EncodeKeyU64(static_cast<uint64_t>(envelope.position));
    std::string entry = EncodeEvent(envelope);
    // The leaf goes into the same batch as the entry (the writer stores its
    // tile): the tree never lags the log (M14).
    leaves.push_back(audit::LeafHash(entry));
    if (staged.ok()) {
      staged = group.batch.Put(Family(kEventsFamily), position_key, entry);
    }
    if (staged.ok()) {
      staged = group.batch.Put(
          Family(kStreamsFamily),
          StreamKey(envelope.stream_id, envelope.stream_version), position_key);
    }
    versions[event.stream_id] = envelope.stream_version;
    new_versions.emplace_back(event.stream_id, envelope.stream_version);
    head = {envelope.position, envelope.hash};
  }
  AppendResult result{
      head.position - static_cast<int64_t>(request.events.size()) + 1,
      head.position, request.response, false};
  for (const ProjectionWrite& write : request.projection_writes) {
    if (!staged.ok()) break;
    staged = write.value.has_value()
                 ? group.batch.Put(TableFamily(write.table), write.key,
                                   *write.value)
                 : group.batch.Delete(TableFamily(write.table), write.key);
  }
  IdempotencyRecord record{request.audit.request_digest, request.response,
                           result.first_position, result.last_position};
  if (staged.ok() && !request.idempotency_key.empty()) {
    staged = group.batch.Put(Family(kIdempotencyFamily),
                             request.idempotency_key,
                             EncodeIdempotencyRecord(record));
  }
  if (!staged.ok()) {
    // Deliberately ignored: rolling back to the save point set above cannot
    // fail short of a bug, and the append fails either way.
    (void)group.batch.RollbackToSavePoint();
    return FromRocks(staged, "staging an append");
  }
  (void)group.batch.PopSavePoint();  // nothing to roll back any more
  for (auto& [stream, version] : new_versions) versions_[stream] = version;
  sequenced_head_ = head;
  group.head = head;
  for (std::string& leaf : leaves) group.leaves.push_back(std::move(leaf));
  {
    absl::MutexLock pending_lock(&pending_mu_);
    for (const ProjectionWrite& write : request.projection_writes) {
      ProjectionKey key{write.table, write.key};
      recent_projections_.Stage(key, write.value, group.id);
      group.projection_keys.push_back(std::move(key));
    }
  }
  if (!request.idempotency_key.empty()) {
    pending_idempotency_[request.idempotency_key] = {std::move(record),
                                                     group.id};
    group.idempotency_keys.push_back(request.idempotency_key);
  }
  return result;
}


absl::StatusOr<int64_t> RocksDbEventStore::StreamVersion(
    absl::string_view stream_id) {
  return ReadStreamVersion(stream_id);
}

absl::StatusOr<int64_t> RocksDbEventStore::ReadStreamVersion(
    absl::string_view stream_id) {
  std::string prefix = absl::StrCat(stream_id, absl::string_view("\0", 1));
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Family(kStreamsFamily)));
  it->SeekForPrev(StreamKey(stream_id, -1));  // version bytes all 0xff
  RETURN_IF_ERROR(FromRocks(it->status(), "reading stream index"));
  if (!it->Valid() || !it->key().starts_with(prefix)) return 0;
  absl::string_view key(it->key().data(), it->key().size());
  return static_cast<int64_t>(DecodeKeyU64(key.substr(prefix.size())));
}

absl::StatusOr<EventEnvelope> RocksDbEventStore::ReadEventAt(int64_t position) {
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), Family(kEventsFamily),
               EncodeKeyU64(static_cast<uint64_t>(position)), &value);
  if (status.IsNotFound()) {
    return absl::DataLossError(
        absl::StrCat("the stream index names log position ", position,
                     " which does not exist"));
  }
  RETURN_IF_ERROR(FromRocks(status, "reading the log"));
  return DecodeEvent(value);
}

absl::StatusOr<std::vector<EventEnvelope>> RocksDbEventStore::ReadStream(
    absl::string_view stream_id, int64_t from_version, size_t max_count) {
  std::string prefix = absl::StrCat(stream_id, absl::string_view("\0", 1));
  std::vector<EventEnvelope> events;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Family(kStreamsFamily)));
  for (it->Seek(StreamKey(stream_id, std::max<int64_t>(from_version, 1)));
       it->Valid() && it->key().starts_with(prefix) &&
       events.size() < max_count;
       it->Next()) {
    int64_t position = static_cast<int64_t>(DecodeKeyU64(
        absl::string_view(it->value().data(), it->value().size())));
    ASSIGN_OR_RETURN(EventEnvelope event, ReadEventAt(position));
    events.push_back(std::move(event));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading stream index"));
  return events;
}

absl::StatusOr<std::vector<EventEnvelope>> RocksDbEventStore::ReadAll(
    int64_t from_position, size_t max_count) {
  std::vector<EventEnvelope> events;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Family(kEventsFamily)));
  const int64_t first = std::max<int64_t>(from_position, 1);
  for (it->Seek(EncodeKeyU64(static_cast<uint64_t>(first)));
       it->Valid() && events.size() < max_count; it->Next()) {
    // Positions are contiguous: a reader (replay, export, rebuild) must
    // never pass over a removed entry as if the log had no such position.
    const int64_t expected = first + static_cast<int64_t>(events.size());
    const auto position = static_cast<int64_t>(DecodeKeyU64(
        absl::string_view(it->key().data(), it->key().size())));
    if (position != expected) {
      return DamagedAt(expected,
                       absl::StrCat("missing (the next entry has position ",
                                    position, ")"));
    }
    absl::StatusOr<EventEnvelope> event =
        DecodeEvent(absl::string_view(it->value().data(), it->value().size()));
    if (!event.ok()) return DamagedAt(position, event.status().message());
    if (event->position != position) {
      return DamagedAt(position, absl::StrCat("the entry says position ",
                                              event->position));
    }
    events.push_back(*std::move(event));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the log"));
  return events;
}

absl::StatusOr<ChainHead> RocksDbEventStore::Head() {
  absl::MutexLock lock(&head_mu_);
  return durable_head_;
}

absl::StatusOr<std::optional<IdempotencyRecord>>
RocksDbEventStore::ReadIdempotency(absl::string_view key) {
  std::string value;
  rocksdb::Status status = db_->Get(
      rocksdb::ReadOptions(), Family(kIdempotencyFamily), ToSlice(key), &value);
  if (status.IsNotFound()) return std::optional<IdempotencyRecord>();
  RETURN_IF_ERROR(FromRocks(status, "reading idempotency record"));
  ASSIGN_OR_RETURN(IdempotencyRecord record, DecodeIdempotencyRecord(value));
  RETURN_IF_ERROR(CheckBoundToLog(record));
  return std::optional<IdempotencyRecord>(std::move(record));
}

absl::Status RocksDbEventStore::CheckBoundToLog(
    const IdempotencyRecord& record) {
  // The record and its entries were written in one batch: the first entry
  // exists, and records the request and response digests (M14).
  absl::StatusOr<EventEnvelope> entry = ReadEventAt(record.first_position);
  // A failed read (I/O, a storage fault) is reported as what it is.
  if (!entry.ok() && !absl::IsDataLoss(entry.status())) return entry.status();
  const char* mismatch = nullptr;
  if (!entry.ok()) {
    mismatch = "the entry is missing or unreadable";
  } else if (entry->request_digest != record.request_digest) {
    mismatch = "the entry answered another request";
  } else if (entry->response_digest !=
             ResponseDigest(entry->method, record.response)) {
    mismatch = "the stored answer differs from the one the entry records";
  }
  if (mismatch == nullptr) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(
      "the idempotency record of this request does not match log position ",
      record.first_position, ": ", mismatch,
      "; the retry is refused rather than answered from it"));
}

absl::StatusOr<std::optional<std::string>>
RocksDbEventStore::FindIdempotentResponse(absl::string_view idempotency_key,
                                          absl::string_view request_digest) {
  ASSIGN_OR_RETURN(std::optional<IdempotencyRecord> record,
                   ReadIdempotency(idempotency_key));
  if (!record.has_value()) return std::optional<std::string>();
  if (record->request_digest != request_digest) {
    return KeyReusedError(idempotency_key);
  }
  return std::optional<std::string>(std::move(record->response));
}

rocksdb::ColumnFamilyHandle* RocksDbEventStore::TableFamily(
    ProjectionTable table) const {
  return table == ProjectionTable::kState ? Family(kStateFamily)
                                          : Family(kIndexFamily);
}

namespace {

absl::StatusOr<std::optional<std::string>> GetWith(
    rocksdb::DB& db, const rocksdb::ReadOptions& read_options,
    rocksdb::ColumnFamilyHandle* family, absl::string_view key) {
  std::string value;
  rocksdb::Status status = db.Get(read_options, family, ToSlice(key), &value);
  if (status.IsNotFound()) return std::optional<std::string>();
  RETURN_IF_ERROR(FromRocks(status, "reading projection"));
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanWith(
    rocksdb::DB& db, const rocksdb::ReadOptions& read_options,
    rocksdb::ColumnFamilyHandle* family, absl::string_view prefix,
    absl::string_view start_after, size_t max_count) {
  std::vector<std::pair<std::string, std::string>> entries;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(read_options, family));
  // Start at the later of prefix and start_after; start_after is exclusive.
  it->Seek(ToSlice(start_after > prefix ? start_after : prefix));
  if (!start_after.empty() && it->Valid() &&
      it->key() == ToSlice(start_after)) {
    it->Next();
  }
  for (; it->Valid() && entries.size() < max_count; it->Next()) {
    absl::string_view key(it->key().data(), it->key().size());
    if (!absl::StartsWith(key, prefix)) break;
    entries.emplace_back(std::string(key), it->value().ToString());
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "scanning projection"));
  return entries;
}

// Reads through a RocksDB snapshot, released with the object.
class RocksDbProjectionSnapshot : public ProjectionReader {
 public:
  RocksDbProjectionSnapshot(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* state,
                            rocksdb::ColumnFamilyHandle* index)
      : db_(db), state_(state), index_(index), snapshot_(db.GetSnapshot()) {
    read_options_.snapshot = snapshot_;
  }
  ~RocksDbProjectionSnapshot() override { db_.ReleaseSnapshot(snapshot_); }
  RocksDbProjectionSnapshot(const RocksDbProjectionSnapshot&) = delete;
  RocksDbProjectionSnapshot& operator=(const RocksDbProjectionSnapshot&) =
      delete;

  absl::StatusOr<std::optional<std::string>> GetProjection(
      ProjectionTable table, absl::string_view key) override {
    return GetWith(db_, read_options_, Family(table), key);
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  ScanProjection(ProjectionTable table, absl::string_view prefix,
                 absl::string_view start_after, size_t max_count) override {
    return ScanWith(db_, read_options_, Family(table), prefix, start_after,
                    max_count);
  }

 private:
  rocksdb::ColumnFamilyHandle* Family(ProjectionTable table) const {
    return table == ProjectionTable::kState ? state_ : index_;
  }

  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* const state_;
  rocksdb::ColumnFamilyHandle* const index_;
  const rocksdb::Snapshot* const snapshot_;
  rocksdb::ReadOptions read_options_;
};

}  // namespace

absl::StatusOr<std::optional<std::string>> RocksDbEventStore::GetProjection(
    ProjectionTable table, absl::string_view key) {
  return GetWith(*db_, rocksdb::ReadOptions(), TableFamily(table), key);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
RocksDbEventStore::ScanProjection(ProjectionTable table,
                                  absl::string_view prefix,
                                  absl::string_view start_after,
                                  size_t max_count) {
  return ScanWith(*db_, rocksdb::ReadOptions(), TableFamily(table), prefix,
                  start_after, max_count);
}

absl::StatusOr<std::unique_ptr<ProjectionReader>>
RocksDbEventStore::SnapshotProjections() {
  return std::unique_ptr<ProjectionReader>(new RocksDbProjectionSnapshot(
      *db_, Family(kStateFamily), Family(kIndexFamily)));
}

absl::Status RocksDbEventStore::RebuildProjections(const Projector& projector) {
  absl::MutexLock stage_lock(&stage_mu_);
  {
    absl::MutexLock pending_lock(&pending_mu_);
    recent_projections_.ForgetDurable();
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  // Until the marker is removed at the end, a crash leaves a store that Open
  // refuses to serve.
  RETURN_IF_ERROR(FromRocks(db_->Put(write_options, Family(kMetaFamily),
                                     kProjectionsIncompleteKey, "rebuilding"),
                            "marking the rebuild"));
  // Drop every projection entry: one range tombstone per table, whatever its
  // size (plus the last key, as the range end is exclusive).
  for (ProjectionTable table :
       {ProjectionTable::kState, ProjectionTable::kIndex}) {
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), TableFamily(table)));
    it->SeekToFirst();
    RETURN_IF_ERROR(FromRocks(it->status(), "scanning projection"));
    if (!it->Valid()) continue;
    const std::string first = it->key().ToString();
    it->SeekToLast();
    RETURN_IF_ERROR(FromRocks(it->status(), "scanning projection"));
    const std::string last = it->key().ToString();
    rocksdb::WriteBatch batch;
    RETURN_IF_ERROR(
        FromRocks(batch.DeleteRange(TableFamily(table), first, last),
                  "clearing projection"));
    RETURN_IF_ERROR(FromRocks(batch.Delete(TableFamily(table), last),
                              "clearing projection"));
    RETURN_IF_ERROR(
        FromRocks(db_->Write(write_options, &batch), "clearing projection"));
  }
  // Replay the log in order. The projections are written without the WAL:
  // the marker above is durable, so a crash before the flush below leaves a
  // store that must be rebuilt again, never one with half the projections.
  rocksdb::WriteOptions spill_options;
  spill_options.disableWAL = true;
  const RebuildProjection::BatchWriter write_batch =
      [&](const std::vector<ProjectionWrite>& writes) -> absl::Status {
    rocksdb::WriteBatch batch;
    for (const ProjectionWrite& write : writes) {
      RETURN_IF_ERROR(FromRocks(
          write.value.has_value()
              ? batch.Put(TableFamily(write.table), write.key, *write.value)
              : batch.Delete(TableFamily(write.table), write.key),
          "staging a rebuilt projection"));
    }
    return FromRocks(db_->Write(spill_options, &batch),
                     "writing rebuilt projections");
  };
  // The log is read and decoded a chunk ahead, on a second thread, which
  // also frees the chunk applied before (together a fifth of the work).
  using Chunk = std::vector<EventEnvelope>;
  const auto read_ahead = [this](int64_t from, Chunk done) {
    return std::async(std::launch::async,
                      [this, from, done = std::move(done)]() mutable {
                        done.clear();
                        return ReadAll(from, kRebuildChunk);
                      });
  };
  RebuildProjection view(*this, options_.rebuild_memory_bytes);
  std::future<absl::StatusOr<Chunk>> ahead = read_ahead(1, Chunk());
  Chunk applied;
  size_t replayed = 0;
  for (;;) {
    ASSIGN_OR_RETURN(Chunk events, ahead.get());
    if (events.empty()) break;
    ahead = read_ahead(events.back().position + 1, std::move(applied));
    for (const EventEnvelope& event : events) {
      RETURN_IF_ERROR(projector.Apply(event, view));
      if (view.full()) {
        RETURN_IF_ERROR(view.Spill(kRebuildBatchBytes, write_batch));
      }
    }
    replayed += events.size();
    applied = std::move(events);
  }
  const bool complete = view.complete();
  RETURN_IF_ERROR(view.Spill(kRebuildBatchBytes, write_batch));
  RETURN_IF_ERROR(FromRocks(
      db_->Flush(rocksdb::FlushOptions(),
                 {TableFamily(ProjectionTable::kState),
                  TableFamily(ProjectionTable::kIndex)}),
      "flushing rebuilt projections"));
  if (!complete) {
    LogInfo("rebuild read back from the store: its values outgrew %d bytes",
            options_.rebuild_memory_bytes);
  }
  RETURN_IF_ERROR(FromRocks(db_->Delete(write_options, Family(kMetaFamily),
                                        kProjectionsIncompleteKey),
                            "clearing the rebuild marker"));
  LogInfo("rebuilt projections from %d log entries", replayed);
  return absl::OkStatus();
}

}  // namespace riskledger::storage
