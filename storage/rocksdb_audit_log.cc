// RocksDbEventStore's AuditLog: the Merkle tree's subtrees, checkpoints and
// keys in the audit column family, and the tree's loading at open.
#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "services/base/log.h"
#include "services/base/status_macros.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/merkle_tiles.h"
#include "storage/audit/sha256.h"
#include "storage/audit_family_keys.h"
#include "storage/chain_verifier.h"
#include "storage/column_families.h"
#include "storage/rocks_status.h"
#include "storage/rocksdb_event_store.h"
#include "storage/stored_tree.h"

namespace riskledger::storage {
namespace {

// Entries per batch while a tree is built for an older store.
constexpr size_t kTreeBuildChunk = 10000;

absl::StatusOr<std::optional<std::string>> ReadTileFrom(
    rocksdb::DB& db, rocksdb::ColumnFamilyHandle* audit, audit::TileId tile) {
  std::string hashes;
  rocksdb::Status status =
      db.Get(rocksdb::ReadOptions(), audit, TreeTileKey(tile), &hashes);
  if (status.IsNotFound()) return std::optional<std::string>();
  RETURN_IF_ERROR(FromRocks(status, "reading the Merkle tree"));
  return std::optional<std::string>(std::move(hashes));
}

// Builds the tree over a log written before the tree existed.
absl::StatusOr<audit::TiledTree> BuildTree(
    rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
    int64_t size) {
  LogInfo("building the Merkle tree over %d log entries written before it "
          "existed",
          size);
  audit::TiledTree tree;
  rocksdb::WriteBatch batch;
  rocksdb::Status staged;
  auto store = [&](audit::TileId tile, const std::string& hashes) {
    if (staged.ok()) {
      staged = batch.Put(handles[kAuditFamily], TreeTileKey(tile), hashes);
    }
  };
  std::unique_ptr<rocksdb::Iterator> it(
      db.NewIterator(rocksdb::ReadOptions(), handles[kEventsFamily]));
  for (it->SeekToFirst(); it->Valid() && staged.ok(); it->Next()) {
    const int64_t position =
        static_cast<int64_t>(DecodeKeyU64(ToView(it->key())));
    if (position != static_cast<int64_t>(tree.size()) + 1) {
      return absl::DataLossError(absl::StrCat(
          "log position ", tree.size() + 1, " is missing (found ", position,
          " next); the Merkle tree cannot be built"));
    }
    tree.Append(audit::LeafHash(ToView(it->value())), store);
    if (staged.ok() && batch.Count() >= kTreeBuildChunk) {
      staged = db.Write(rocksdb::WriteOptions(), &batch);
      batch.Clear();
    }
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the log"));
  tree.TakeChangedEdges(store);
  rocksdb::WriteOptions synced;
  synced.sync = true;
  if (staged.ok()) staged = db.Write(synced, &batch);
  RETURN_IF_ERROR(FromRocks(staged, "writing the Merkle tree"));
  if (static_cast<int64_t>(tree.size()) != size) {
    return absl::DataLossError(absl::StrCat("the log holds ", tree.size(),
                                            " entries, its head says ", size));
  }
  return tree;
}

// A RocksDB iterator over the tiles of one row.
class RocksTileCursor : public TileCursor {
 public:
  RocksTileCursor(std::unique_ptr<rocksdb::Iterator> it, int row,
                  uint64_t from_index)
      : it_(std::move(it)), prefix_({kTreeTileTag, static_cast<char>(row)}) {
    it_->Seek(TreeTileKey(audit::TileId{row, from_index}));
  }

  absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>> Next()
      override {
    using Tile = std::optional<std::pair<uint64_t, std::string>>;
    RETURN_IF_ERROR(FromRocks(it_->status(), "reading the Merkle tree"));
    if (!it_->Valid() || !it_->key().starts_with(prefix_)) return Tile();
    const absl::string_view key = ToView(it_->key());
    if (key.size() != prefix_.size() + 8) {
      return absl::DataLossError("a Merkle tree tile has a malformed key");
    }
    Tile tile(std::in_place, DecodeKeyU64(key.substr(prefix_.size())),
              it_->value().ToString());
    it_->Next();
    return tile;
  }

 private:
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string prefix_;
};

}  // namespace

std::unique_ptr<TileCursor> RocksDbEventStore::ScanTiles(int row,
                                                         uint64_t from_index) {
  rocksdb::ReadOptions options;
  options.fill_cache = false;
  return std::make_unique<RocksTileCursor>(
      std::unique_ptr<rocksdb::Iterator>(
          db_->NewIterator(options, Family(kAuditFamily))),
      row, from_index);
}

absl::StatusOr<std::optional<std::string>> RocksDbEventStore::ReadTile(
    audit::TileId tile) {
  return ReadTileFrom(*db_, Family(kAuditFamily), tile);
}

absl::StatusOr<audit::TiledTree> RocksDbEventStore::LoadTree(
    rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
    int64_t size) {
  rocksdb::ColumnFamilyHandle* family = handles[kAuditFamily];
  std::unique_ptr<rocksdb::Iterator> it(
      db.NewIterator(rocksdb::ReadOptions(), family));
  it->Seek(std::string(1, kTreeTileTag));
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the Merkle tree"));
  const bool has_tree = it->Valid() && !it->key().empty() &&
                        it->key()[0] == kTreeTileTag;
  it.reset();
  if (!has_tree) {
    // No tile at all: a store from before the tree, or an empty one. A
    // store with checkpoints had a tree: its loss is damage, not age.
    it.reset(db.NewIterator(rocksdb::ReadOptions(), family));
    it->Seek(std::string(1, kCheckpointTag));
    RETURN_IF_ERROR(FromRocks(it->status(), "reading checkpoints"));
    const bool has_checkpoint = it->Valid() && !it->key().empty() &&
                                it->key()[0] == kCheckpointTag;
    it.reset();
    if (has_checkpoint) {
      return absl::DataLossError(
          "the Merkle tree is gone although checkpoints of it exist");
    }
    if (size == 0) return audit::TiledTree();
    return BuildTree(db, handles, size);
  }
  auto tiles = [&](audit::TileId tile) {
    return ReadTileFrom(db, family, tile);
  };
  ASSIGN_OR_RETURN(audit::TiledTree tree,
                   StoredTree(static_cast<uint64_t>(size), tiles));
  // The last entry's leaf must be the tree's last leaf, and the tree must
  // have no leaf beyond it: a log that grew or shrank behind the tree's
  // back is caught here, the rest by VerifyLog.
  const uint64_t leaves = static_cast<uint64_t>(size);
  if (size > 0) {
    std::string entry;
    RETURN_IF_ERROR(FromRocks(
        db.Get(rocksdb::ReadOptions(), handles[kEventsFamily],
               EncodeKeyU64(leaves), &entry),
        "reading the log head"));
    ASSIGN_OR_RETURN(std::string leaf,
                     StoredNode(audit::NodeId{0, leaves - 1}, tiles));
    if (audit::LeafHash(entry) != leaf) {
      return absl::DataLossError(absl::StrCat(
          "the entry at log position ", size,
          " (the head) differs from the Merkle tree's leaf for it"));
    }
  }
  ASSIGN_OR_RETURN(std::optional<std::string> last_tile,
                   tiles(audit::TileId{0, leaves / audit::kTileWidth}));
  if (last_tile.has_value() &&
      last_tile->size() > (leaves % audit::kTileWidth) * audit::kHashSize) {
    return absl::DataLossError(absl::StrCat(
        "the Merkle tree has a leaf for log position ", size + 1,
        " but the log ends at ", size, ": entries were removed"));
  }
  return tree;
}

int64_t RocksDbEventStore::DurableSize() {
  absl::MutexLock lock(&head_mu_);
  return durable_head_.position;
}

TreeHead RocksDbEventStore::DurableTree() {
  absl::MutexLock lock(&head_mu_);
  // A tree that failed to load (the store refuses writes) has no root to
  // serve, but the log still has its size.
  if (static_cast<int64_t>(durable_tree_.size()) != durable_head_.position) {
    return {durable_head_.position, std::string()};
  }
  return {durable_head_.position, durable_tree_.Root()};
}

absl::StatusOr<std::string> RocksDbEventStore::TreeNode(audit::NodeId node) {
  const int64_t size = DurableSize();
  if (node.level < 0 || node.level > 62 ||
      ((node.index + 1) << node.level) > static_cast<uint64_t>(size)) {
    return absl::OutOfRangeError(
        absl::StrCat("node ", node.level, "/", node.index,
                     " is not complete in the tree of ", size, " entries"));
  }
  return StoredNode(node, [this](audit::TileId tile) { return ReadTile(tile); });
}

absl::StatusOr<std::string> RocksDbEventStore::EntryAt(int64_t position) {
  const int64_t size = DurableSize();
  if (position < 1 || position > size) {
    return absl::OutOfRangeError(absl::StrCat(
        "log position ", position, " is not in the log of ", size,
        " entries"));
  }
  std::string entry;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), Family(kEventsFamily),
               EncodeKeyU64(static_cast<uint64_t>(position)), &entry);
  if (status.IsNotFound()) {
    return absl::DataLossError(
        absl::StrCat("the entry at log position ", position, " is missing"));
  }
  RETURN_IF_ERROR(FromRocks(status, "reading the log"));
  return entry;
}

absl::Status RocksDbEventStore::ScanEntries(
    int64_t from_position,
    absl::FunctionRef<absl::Status(int64_t, absl::string_view)> visit) {
  const int64_t end = DurableSize();
  rocksdb::ReadOptions options;
  options.fill_cache = false;  // one pass over the whole log
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(options, Family(kEventsFamily)));
  for (it->Seek(EncodeKeyU64(
           static_cast<uint64_t>(std::max<int64_t>(from_position, 1))));
       it->Valid(); it->Next()) {
    const int64_t position =
        static_cast<int64_t>(DecodeKeyU64(ToView(it->key())));
    if (position > end) break;
    RETURN_IF_ERROR(visit(position, ToView(it->value())));
  }
  return FromRocks(it->status(), "reading the log");
}

absl::Status RocksDbEventStore::SaveCheckpoint(
    const StoredCheckpoint& checkpoint) {
  const std::string key = CheckpointKey(checkpoint.size);
  std::string existing;
  rocksdb::Status found =
      db_->Get(rocksdb::ReadOptions(), Family(kAuditFamily), key, &existing);
  if (found.ok()) return absl::OkStatus();
  if (!found.IsNotFound()) return FromRocks(found, "reading checkpoints");
  rocksdb::WriteOptions synced;
  synced.sync = options_.sync_writes;
  return FromRocks(
      db_->Put(synced, Family(kAuditFamily), key, checkpoint.note),
      "storing a checkpoint");
}

absl::StatusOr<std::optional<StoredCheckpoint>>
RocksDbEventStore::LatestCheckpoint() {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Family(kAuditFamily)));
  it->SeekForPrev(CheckpointKey(-1));  // size bytes all 0xff
  RETURN_IF_ERROR(FromRocks(it->status(), "reading checkpoints"));
  if (!it->Valid() || it->key().size() != 9 ||
      it->key()[0] != kCheckpointTag) {
    return std::optional<StoredCheckpoint>();
  }
  return std::optional<StoredCheckpoint>(StoredCheckpoint{
      static_cast<int64_t>(DecodeKeyU64(ToView(it->key()).substr(1))),
      it->value().ToString()});
}

absl::StatusOr<std::vector<StoredCheckpoint>>
RocksDbEventStore::ListCheckpoints(int64_t after_size, size_t max_count) {
  std::vector<StoredCheckpoint> checkpoints;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Family(kAuditFamily)));
  for (it->Seek(CheckpointKey(std::max<int64_t>(after_size, -1) + 1));
       it->Valid() && checkpoints.size() < max_count; it->Next()) {
    if (it->key().size() != 9 || it->key()[0] != kCheckpointTag) break;
    checkpoints.push_back(
        {static_cast<int64_t>(DecodeKeyU64(ToView(it->key()).substr(1))),
         it->value().ToString()});
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading checkpoints"));
  return checkpoints;
}

absl::StatusOr<std::string> RocksDbEventStore::EstablishOrigin(
    absl::string_view proposed) {
  std::string origin;
  rocksdb::Status found = db_->Get(rocksdb::ReadOptions(),
                                   Family(kAuditFamily), kOriginKey, &origin);
  if (found.ok()) return origin;
  if (!found.IsNotFound()) return FromRocks(found, "reading the log origin");
  rocksdb::WriteOptions synced;
  synced.sync = options_.sync_writes;
  RETURN_IF_ERROR(FromRocks(db_->Put(synced, Family(kAuditFamily), kOriginKey,
                                     ToSlice(proposed)),
                            "storing the log origin"));
  return std::string(proposed);
}

absl::Status RocksDbEventStore::AddVerifierKey(absl::string_view encoded) {
  const std::string key = absl::StrCat(std::string(1, kVerifierKeyTag), encoded);
  std::string existing;
  rocksdb::Status found =
      db_->Get(rocksdb::ReadOptions(), Family(kAuditFamily), key, &existing);
  if (found.ok()) return absl::OkStatus();
  if (!found.IsNotFound()) return FromRocks(found, "reading verifier keys");
  rocksdb::WriteOptions synced;
  synced.sync = options_.sync_writes;
  return FromRocks(
      db_->Put(synced, Family(kAuditFamily), key,
               EncodeKeyU64(static_cast<uint64_t>(
                   absl::ToUnixMicros(absl::Now())))),
      "storing a verifier key");
}

absl::StatusOr<std::vector<std::string>> RocksDbEventStore::VerifierKeys() {
  std::vector<std::pair<uint64_t, std::string>> keys;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Family(kAuditFamily)));
  const std::string prefix(1, kVerifierKeyTag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    keys.emplace_back(it->value().size() == 8 ? DecodeKeyU64(ToView(it->value()))
                                              : 0,
                      std::string(ToView(it->key()).substr(1)));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading verifier keys"));
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> encoded;
  encoded.reserve(keys.size());
  for (auto& [added, key] : keys) encoded.push_back(std::move(key));
  return encoded;
}

void RocksDbEventStore::RefuseWrites(const absl::Status& why) {
  bool first = false;
  {
    absl::MutexLock lock(&stage_mu_);
    if (integrity_fault_.ok() && !why.ok()) {
      integrity_fault_ = why;
      first = true;
    }
  }
  if (first) {
    LogError("the log failed verification; refusing writes from now on "
             "(reads and evidence are served): %s",
             why.ToString());
    if (options_.on_writability_change) options_.on_writability_change(why);
  }
}

absl::Status RocksDbEventStore::integrity_fault() const {
  absl::MutexLock lock(&stage_mu_);
  return integrity_fault_;
}

}  // namespace riskledger::storage
