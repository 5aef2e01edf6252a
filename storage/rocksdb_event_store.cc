// RocksDbEventStore: sequencer, group commit, reads and projection rebuild.
#include "storage/rocksdb_event_store.h"

#include <map>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "services/base/log.h"
#include "services/base/status_macros.h"
#include "storage/column_families.h"

namespace riskledger::storage {
namespace {

// Events per chunk while projections are rebuilt.
constexpr size_t kRebuildChunk = 1000;

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsIOError() || status.IsBusy() || status.IsTimedOut()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

rocksdb::Slice ToSlice(absl::string_view view) {
  return rocksdb::Slice(view.data(), view.size());
}

absl::Status KeyReusedError(absl::string_view key) {
  return absl::AlreadyExistsError(absl::StrCat(
      "idempotency key '", key, "' was already used for a different request"));
}

std::string StreamKey(absl::string_view stream_id, int64_t version) {
  return absl::StrCat(stream_id, absl::string_view("\0", 1),
                      EncodeKeyU64(static_cast<uint64_t>(version)));
}

}  // namespace

// Stream versions and idempotency keys staged by earlier appends of the group
// being sequenced, which the database does not show yet.
struct RocksDbEventStore::GroupState {
  rocksdb::WriteBatch batch;
  std::map<std::string, int64_t> stream_versions;
  std::map<std::string, IdempotencyRecord> idempotency;
  // Projection values written by earlier appends of the group.
  std::map<std::pair<ProjectionTable, std::string>, std::optional<std::string>>
      projections;
  ChainHead head;
};

absl::StatusOr<std::unique_ptr<RocksDbEventStore>> RocksDbEventStore::Open(
    const RocksDbEventStoreOptions& options) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  // Every acknowledged append was synced, so a WAL can only legitimately end
  // in a torn record of an unacknowledged write (a crash mid-write). That
  // tail is tolerated; any other damage makes Open fail with DATA_LOSS
  // instead of the default point-in-time recovery, which would silently
  // drop every acknowledged entry after the damage.
  db_options.wal_recovery_mode =
      rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(kColumnFamilyNames.size());
  for (const char* name : kColumnFamilyNames) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
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
  return std::unique_ptr<RocksDbEventStore>(
      new RocksDbEventStore(std::move(db), std::move(handles), options, head));
}

RocksDbEventStore::RocksDbEventStore(
    std::unique_ptr<rocksdb::DB> db,
    std::vector<rocksdb::ColumnFamilyHandle*> handles,
    RocksDbEventStoreOptions options, ChainHead head)
    : db_(std::move(db)),
      handles_(std::move(handles)),
      options_(std::move(options)),
      head_(std::move(head)) {
  sequencer_ = std::thread([this] { SequencerLoop(); });
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
  sequencer_.join();
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

absl::StatusOr<AppendResult> RocksDbEventStore::Append(AppendRequest request) {
  if (request.events.empty()) {
    return absl::InvalidArgumentError("an append needs at least one event");
  }
  for (const NewEvent& event : request.events) {
    if (event.stream_id.empty() ||
        event.stream_id.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(
          "stream ids must be non-empty and contain no NUL byte");
    }
  }
  PendingAppend pending{std::move(request), absl::UnknownError("pending"),
                        false};
  absl::MutexLock lock(&queue_mu_);
  if (stopping_) return absl::UnavailableError("event store is closing");
  queue_.push_back(&pending);
  queue_mu_.Await(absl::Condition(&pending.done));
  return std::move(pending.result);
}

void RocksDbEventStore::SequencerLoop() {
  for (;;) {
    std::vector<PendingAppend*> group;
    {
      absl::MutexLock lock(&queue_mu_);
      auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
        return stopping_ || !queue_.empty();
      };
      queue_mu_.Await(absl::Condition(&has_work));
      if (queue_.empty()) return;  // stopping and drained
      group.assign(queue_.begin(), queue_.end());
      queue_.clear();
    }
    {
      absl::MutexLock write_lock(&write_mu_);
      CommitGroup(group);
    }
    absl::MutexLock lock(&queue_mu_);
    for (PendingAppend* pending : group) pending->done = true;
  }
}

std::vector<absl::StatusOr<AppendResult>>
RocksDbEventStore::AppendGroupForTesting(std::vector<AppendRequest> requests) {
  std::vector<PendingAppend> pending(requests.size());
  std::vector<PendingAppend*> group;
  group.reserve(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    pending[i].request = std::move(requests[i]);
    group.push_back(&pending[i]);
  }
  {
    absl::MutexLock write_lock(&write_mu_);
    CommitGroup(group);
  }
  std::vector<absl::StatusOr<AppendResult>> results;
  results.reserve(pending.size());
  for (PendingAppend& append : pending) results.push_back(append.result);
  return results;
}

void RocksDbEventStore::CommitGroup(std::vector<PendingAppend*>& group) {
  GroupState state;
  state.head = head_;
  // Appends whose outcome depends on this group's write: those staged, and
  // retries answered from an idempotency record staged earlier in the group.
  std::vector<PendingAppend*> staged;
  for (PendingAppend* pending : group) {
    pending->result = StageAppend(pending->request, state);
    if (!pending->result.ok()) continue;
    if (!pending->result->replayed ||
        state.idempotency.count(pending->request.idempotency_key) > 0) {
      staged.push_back(pending);
    }
  }
  if (staged.empty()) return;
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  absl::Status written =
      FromRocks(db_->Write(write_options, &state.batch), "writing to the log");
  if (!written.ok()) {
    // Nothing of the group reached the log: fail every staged append and keep
    // the chain head where it was.
    LogError("group commit of %d appends failed: %s", staged.size(),
             written.ToString());
    for (PendingAppend* pending : staged) pending->result = written;
    return;
  }
  head_ = state.head;
}

absl::StatusOr<AppendResult> RocksDbEventStore::StageAppend(
    const AppendRequest& request, GroupState& group) {
  // Idempotency first: a retry must be answered even if its streams moved on.
  if (!request.idempotency_key.empty()) {
    std::optional<IdempotencyRecord> record;
    auto staged = group.idempotency.find(request.idempotency_key);
    if (staged != group.idempotency.end()) {
      record = staged->second;
    } else {
      ASSIGN_OR_RETURN(record, ReadIdempotency(request.idempotency_key));
    }
    if (record.has_value()) {
      if (record->request_digest != request.audit.request_digest) {
        return KeyReusedError(request.idempotency_key);
      }
      return AppendResult{record->first_position, record->last_position,
                          record->response, true};
    }
  }

  // Current version of every stream touched, as the group will leave it.
  std::map<std::string, int64_t> versions;
  auto current_version =
      [&](const std::string& stream) -> absl::StatusOr<int64_t> {
    auto it = versions.find(stream);
    if (it != versions.end()) return it->second;
    auto staged = group.stream_versions.find(stream);
    int64_t version = 0;
    if (staged != group.stream_versions.end()) {
      version = staged->second;
    } else {
      ASSIGN_OR_RETURN(version, ReadStreamVersion(stream));
    }
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
    std::optional<std::string> current;
    auto staged = group.projections.find({read.table, read.key});
    if (staged != group.projections.end()) {
      current = staged->second;
    } else {
      ASSIGN_OR_RETURN(current, GetProjection(read.table, read.key));
    }
    if (current != read.value) {
      return absl::AbortedError(
          absl::StrCat("concurrent modification of projection '", read.key,
                       "' that the command read; re-read and retry"));
    }
  }

  // Checks passed and every version is known. The batch writes come first
  // and each is checked (RocksDB can refuse one, e.g. past its size limits);
  // if any fails, the batch is rolled back to its save point and the group's
  // bookkeeping is untouched, so staging is all-or-nothing.
  group.batch.SetSavePoint();
  rocksdb::Status staged;
  ChainHead head = group.head;
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
    envelope.result = request.result;
    envelope.justification = request.justification;
    envelope.prev_hash = head.hash;
    envelope.hash = ComputeEventHash(envelope);
    std::string position_key =
        EncodeKeyU64(static_cast<uint64_t>(envelope.position));
    if (staged.ok()) {
      staged = group.batch.Put(Family(kEventsFamily), position_key,
                               EncodeEvent(envelope));
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
  for (auto& [stream, version] : new_versions) {
    group.stream_versions[stream] = version;
  }
  group.head = head;
  for (const ProjectionWrite& write : request.projection_writes) {
    group.projections[{write.table, write.key}] = write.value;
  }
  if (!request.idempotency_key.empty()) {
    group.idempotency[request.idempotency_key] = std::move(record);
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
  for (it->Seek(EncodeKeyU64(
           static_cast<uint64_t>(std::max<int64_t>(from_position, 1))));
       it->Valid() && events.size() < max_count; it->Next()) {
    absl::string_view key(it->key().data(), it->key().size());
    absl::StatusOr<EventEnvelope> event =
        DecodeEvent(absl::string_view(it->value().data(), it->value().size()));
    if (!event.ok()) {
      return absl::DataLossError(absl::StrCat("log entry at position ",
                                              DecodeKeyU64(key), ": ",
                                              event.status().message()));
    }
    events.push_back(*std::move(event));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the log"));
  return events;
}

absl::StatusOr<ChainHead> RocksDbEventStore::Head() {
  absl::MutexLock lock(&write_mu_);
  return head_;
}

absl::StatusOr<std::optional<IdempotencyRecord>>
RocksDbEventStore::ReadIdempotency(absl::string_view key) {
  std::string value;
  rocksdb::Status status = db_->Get(
      rocksdb::ReadOptions(), Family(kIdempotencyFamily), ToSlice(key), &value);
  if (status.IsNotFound()) return std::optional<IdempotencyRecord>();
  RETURN_IF_ERROR(FromRocks(status, "reading idempotency record"));
  ASSIGN_OR_RETURN(IdempotencyRecord record, DecodeIdempotencyRecord(value));
  return std::optional<IdempotencyRecord>(std::move(record));
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
  absl::MutexLock write_lock(&write_mu_);
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
  // Replay the log in order, a chunk per write.
  int64_t next = 1;
  size_t replayed = 0;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<EventEnvelope> events,
                     ReadAll(next, kRebuildChunk));
    if (events.empty()) break;
    StagedProjection view(*this);
    for (const EventEnvelope& event : events) {
      RETURN_IF_ERROR(projector.Apply(event, view));
    }
    rocksdb::WriteBatch batch;
    for (const ProjectionWrite& write : view.TakeWrites()) {
      RETURN_IF_ERROR(FromRocks(
          write.value.has_value()
              ? batch.Put(TableFamily(write.table), write.key, *write.value)
              : batch.Delete(TableFamily(write.table), write.key),
          "staging a rebuilt projection"));
    }
    RETURN_IF_ERROR(FromRocks(db_->Write(write_options, &batch),
                              "writing rebuilt projection"));
    replayed += events.size();
    next = events.back().position + 1;
  }
  RETURN_IF_ERROR(FromRocks(db_->Delete(write_options, Family(kMetaFamily),
                                        kProjectionsIncompleteKey),
                            "clearing the rebuild marker"));
  LogInfo("rebuilt projections from %d log entries", replayed);
  return absl::OkStatus();
}

}  // namespace riskledger::storage
