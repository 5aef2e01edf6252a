// VerifyLog: one pass over the log, recomputing chain and tree; the stored
// tree is read level by level in step with the recomputation.
#include "storage/log_verifier.h"

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "storage/audit/checkpoint.h"
#include "storage/audit/merkle_frontier.h"
#include "storage/audit/merkle_tiles.h"
#include "storage/audit/sha256.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/proof_verifier.h"
#include "storage/chain_verifier.h"
#include "storage/event_codec.h"
#include "storage/stored_tree.h"

namespace riskledger::storage {
namespace {

constexpr size_t kCheckpointChunk = 1000;
// Entries decoded and hashed together on the second thread: a chunk holds
// up to this many entries, and is handed over early once its entries'
// bytes reach kPrepareChunkBytes (so that three chunks in flight stay
// small even where entries are large).
constexpr size_t kPrepareChunk = 512;
constexpr size_t kPrepareChunkBytes = size_t{4} << 20;

// An entry with what its verification computes from its bytes alone.
struct PreparedEntry {
  int64_t position = 0;
  std::string bytes;
  absl::StatusOr<EventEnvelope> event = absl::UnknownError("not decoded");
  std::string body_hash;  // SHA-256 of all but the trailing hash
  std::string leaf;       // its Merkle leaf hash
};

void Prepare(PreparedEntry& entry) {
  entry.event = DecodeEvent(entry.bytes);
  if (entry.event.ok()) {  // then it is longer than its trailing hash
    entry.body_hash = Sha256(absl::string_view(entry.bytes)
                                 .substr(0, entry.bytes.size() - kHashSize));
  }
  entry.leaf = audit::LeafHash(entry.bytes);
}

// Hands entries to `visit` in the order they are added, on the adding
// thread, after decoding and hashing them a chunk ahead on a second thread:
// the two SHA-256s per entry are most of a verification's work, and so
// overlap with reading the log and checking the chain and tree. After the
// first error `visit` returns, nothing more is visited and every call
// returns that error. Not thread-safe.
class PreparedScan {
 public:
  using Visit = std::function<absl::Status(PreparedEntry&)>;
  explicit PreparedScan(Visit visit) : visit_(std::move(visit)) {
    filling_.reserve(kPrepareChunk);
  }

  absl::Status Add(int64_t position, absl::string_view bytes) {
    if (!failed_.ok()) return failed_;
    PreparedEntry& entry = filling_.emplace_back();
    entry.position = position;
    entry.bytes = std::string(bytes);
    filling_bytes_ += bytes.size();
    return filling_.size() < kPrepareChunk &&
                   filling_bytes_ < kPrepareChunkBytes
               ? absl::OkStatus()
               : Turn();
  }

  // Visits what was added and not yet visited.
  absl::Status Finish() {
    RETURN_IF_ERROR(Turn());
    return Turn();
  }

 private:
  // Starts preparing the chunk being filled, then visits the one prepared
  // before it.
  absl::Status Turn() {
    if (!failed_.ok()) return failed_;
    std::vector<PreparedEntry> ready;
    if (ahead_.valid()) ready = ahead_.get();
    if (!filling_.empty()) {
      // Either policy: where no thread can be started, the chunk is
      // prepared by get() on this one.
      ahead_ = std::async(std::launch::async | std::launch::deferred,
                          [chunk = std::move(filling_)]() mutable {
                            for (PreparedEntry& entry : chunk) Prepare(entry);
                            return std::move(chunk);
                          });
      filling_ = std::vector<PreparedEntry>();
      filling_.reserve(kPrepareChunk);
      filling_bytes_ = 0;
    }
    for (PreparedEntry& entry : ready) {
      failed_ = visit_(entry);
      if (!failed_.ok()) return failed_;
    }
    return absl::OkStatus();
  }

  const Visit visit_;
  std::vector<PreparedEntry> filling_;
  size_t filling_bytes_ = 0;
  std::future<std::vector<PreparedEntry>> ahead_;
  absl::Status failed_;
};

// Scans the log from `from` through `scan`: the first damage in log order
// wins over a later read error.
absl::Status ScanPrepared(AuditLog& log, int64_t from, PreparedScan& scan) {
  absl::Status scanned = log.ScanEntries(
      from, [&scan](int64_t position, absl::string_view bytes) {
        return scan.Add(position, bytes);
      });
  RETURN_IF_ERROR(scan.Finish());
  return scanned;
}

// A stored checkpoint, opened and parsed. DATA_LOSS naming it otherwise.
absl::StatusOr<audit::Checkpoint> OpenCheckpoint(
    const StoredCheckpoint& stored,
    const std::vector<audit::NoteVerifier>& verifiers) {
  auto bad = [&](absl::string_view why) {
    return absl::DataLossError(absl::StrCat("the checkpoint of tree size ",
                                            stored.size, " is forged or "
                                            "damaged: ", why));
  };
  absl::StatusOr<std::string> text = audit::OpenNote(stored.note, verifiers);
  if (!text.ok()) return bad(text.status().message());
  absl::StatusOr<audit::Checkpoint> checkpoint = audit::ParseCheckpoint(*text);
  if (!checkpoint.ok()) return bad(checkpoint.status().message());
  if (checkpoint->size != static_cast<uint64_t>(stored.size)) {
    return bad(absl::StrCat("it is stored under size ", stored.size,
                            " but says ", checkpoint->size));
  }
  return checkpoint;
}

// Recomputes chain and tree from `first` (the tree and chain head before it
// given) and compares with what is stored: each tile as the recomputation
// completes it, the incomplete ones at the end (Finish).
class Recomputation {
 public:
  Recomputation(AuditLog& log, audit::TiledTree tree, ChainHead head,
                bool check_streams)
      : log_(log),
        tree_(std::move(tree)),
        chain_(std::move(head), check_streams) {}

  // Checks the next entry (its leaf is moved out).
  absl::Status Visit(PreparedEntry& entry) {
    const int64_t position = entry.position;
    if (position != chain_.head().position + 1) {
      return DamagedAt(chain_.head().position + 1,
                       absl::StrCat("missing (the next entry has position ",
                                    position, ")"));
    }
    const absl::StatusOr<EventEnvelope>& event = entry.event;
    if (!event.ok()) return DamagedAt(position, event.status().message());
    if (event->position != position) {
      return DamagedAt(position, absl::StrCat("the entry says position ",
                                              event->position));
    }
    RETURN_IF_ERROR(chain_.NextHashed(*event, entry.body_hash));
    RETURN_IF_ERROR(CompareLeaf(position, entry.leaf));
    absl::Status tiles;
    tree_.Append(std::move(entry.leaf),
                 [&](audit::TileId tile, const std::string& hashes) {
                   // Leaves were compared one by one.
                   if (tiles.ok() && tile.row > 0) {
                     tiles = CompareFullTile(tile, hashes);
                   }
                 });
    return tiles;
  }

  // Compares the incomplete tiles of the recomputed tree with the stored
  // ones (which may have grown since: only their beginning must match).
  absl::Status Finish() {
    absl::Status tiles;
    tree_.EdgeTiles([&](audit::TileId tile, const std::string& hashes) {
      if (!tiles.ok() || tile.row == 0) return;
      absl::StatusOr<std::optional<std::string>> stored = log_.ReadTile(tile);
      if (!stored.ok()) {
        tiles = stored.status();
      } else {
        tiles = Compare(tile, hashes, stored->has_value() ? &**stored : nullptr);
      }
    });
    return tiles;
  }

  const audit::TiledTree& tree() const { return tree_; }
  const ChainHead& head() const { return chain_.head(); }

 private:
  // The stored leaf of the entry at `position` against its recomputed
  // `leaf`, at once: a rewritten entry is named before the chain check of
  // the next entry fails.
  absl::Status CompareLeaf(int64_t position, const std::string& leaf) {
    const uint64_t index = static_cast<uint64_t>(position - 1);
    const audit::TileId tile{0, index / audit::kTileWidth};
    if (!leaf_tile_.has_value() || leaf_tile_->first != tile.index) {
      ASSIGN_OR_RETURN(std::optional<std::string> stored, log_.ReadTile(tile));
      if (!stored.has_value()) return Compare(tile, leaf, nullptr);
      leaf_tile_.emplace(tile.index, *std::move(stored));
    }
    const size_t at = (index % audit::kTileWidth) * audit::kHashSize;
    if (leaf_tile_->second.size() < at + audit::kHashSize ||
        leaf_tile_->second.compare(at, audit::kHashSize, leaf) != 0) {
      return DamagedAt(position,
                       "the entry differs from the Merkle tree's leaf");
    }
    return absl::OkStatus();
  }

  absl::Status CompareFullTile(audit::TileId tile, const std::string& hashes) {
    std::unique_ptr<TileCursor>& cursor = cursors_[tile.row];
    if (cursor == nullptr) cursor = log_.ScanTiles(tile.row, tile.index);
    ASSIGN_OR_RETURN(auto stored, cursor->Next());
    if (!stored.has_value() || stored->first != tile.index) {
      return Compare(tile, hashes, nullptr);
    }
    if (stored->second.size() > hashes.size()) {
      return DamagedAt(FirstPosition(tile, 0),
                       absl::StrCat("the Merkle tree's tile ", tile.row, "/",
                                    tile.index, " holds ",
                                    stored->second.size(), " bytes, more "
                                    "than a tile has"));
    }
    return Compare(tile, hashes, &stored->second);
  }

  // DATA_LOSS at the first of `recomputed`'s hashes that `stored` lacks or
  // holds differently; OK when `stored` begins with all of them.
  static absl::Status Compare(audit::TileId tile, const std::string& recomputed,
                              const std::string* stored) {
    if (stored == nullptr) return MissingTile(tile);
    for (uint64_t slot = 0; slot * audit::kHashSize < recomputed.size();
         ++slot) {
      const size_t at = slot * audit::kHashSize;
      if (stored->size() >= at + audit::kHashSize &&
          stored->compare(at, audit::kHashSize, recomputed, at,
                          audit::kHashSize) == 0) {
        continue;
      }
      if (tile.row == 0) {
        return DamagedAt(FirstPosition(tile, slot),
                         "the entry differs from the Merkle tree's leaf");
      }
      return DamagedAt(
          FirstPosition(tile, slot),
          absl::StrCat("the Merkle tree's node ",
                       tile.row * audit::kTileHeight, "/",
                       tile.index * audit::kTileWidth + slot,
                       " differs from the entries'"));
    }
    return absl::OkStatus();
  }

  static int64_t FirstPosition(audit::TileId tile, uint64_t slot) {
    return static_cast<int64_t>(audit::FirstPositionOf(
        tile.row, tile.index * audit::kTileWidth + slot));
  }

  AuditLog& log_;
  audit::TiledTree tree_;
  ChainCheck chain_;
  std::map<int, std::unique_ptr<TileCursor>> cursors_;
  // The row-0 tile the last leaf was compared with: its index and hashes.
  std::optional<std::pair<uint64_t, std::string>> leaf_tile_;
};

}  // namespace

absl::StatusOr<LogVerification> VerifyLog(
    AuditLog& log, const std::vector<audit::NoteVerifier>& verifiers) {
  const TreeHead durable = log.DurableTree();
  // Checkpoints by size; each is checked when the recomputed tree reaches
  // its size.
  std::vector<StoredCheckpoint> checkpoints;
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(std::vector<StoredCheckpoint> chunk,
                     log.ListCheckpoints(after, kCheckpointChunk));
    if (chunk.empty()) break;
    after = chunk.back().size;
    for (StoredCheckpoint& checkpoint : chunk) {
      checkpoints.push_back(std::move(checkpoint));
    }
  }
  if (!checkpoints.empty() && checkpoints.back().size > durable.size) {
    return absl::DataLossError(absl::StrCat(
        "the log ends at position ", durable.size,
        " but a checkpoint covers ", checkpoints.back().size,
        " entries: entries after position ", durable.size,
        " were removed (or the data directory was rolled back)"));
  }
  std::vector<std::pair<int64_t, std::string>> expected_roots;
  for (const StoredCheckpoint& stored : checkpoints) {
    ASSIGN_OR_RETURN(audit::Checkpoint checkpoint,
                     OpenCheckpoint(stored, verifiers));
    expected_roots.emplace_back(stored.size, checkpoint.root_hash);
  }

  Recomputation recomputation(log, audit::TiledTree(),
                              ChainHead{0, GenesisHash()},
                              /*check_streams=*/true);
  size_t next_checkpoint = 0;
  PreparedScan scan([&](PreparedEntry& entry) -> absl::Status {
    RETURN_IF_ERROR(recomputation.Visit(entry));
    const int64_t position = entry.position;
    while (next_checkpoint < expected_roots.size() &&
           expected_roots[next_checkpoint].first == position) {
      if (recomputation.tree().frontier().Root() !=
          expected_roots[next_checkpoint].second) {
        return absl::DataLossError(absl::StrCat(
            "the signed checkpoint of tree size ", position,
            " does not match log entries 1 to ", position,
            ": history before it was rewritten"));
      }
      ++next_checkpoint;
    }
    return absl::OkStatus();
  });
  RETURN_IF_ERROR(ScanPrepared(log, 1, scan));
  if (recomputation.head().position != durable.size) {
    return DamagedAt(recomputation.head().position + 1,
                    absl::StrCat("missing (the log's head is position ",
                                 durable.size, ")"));
  }
  RETURN_IF_ERROR(recomputation.Finish());
  if (!durable.root.empty() &&
      recomputation.tree().frontier().Root() != durable.root) {
    return absl::DataLossError(
        "the recomputed Merkle root differs from the served one");
  }
  return LogVerification{1, recomputation.head(),
                         {durable.size, recomputation.tree().frontier().Root()},
                         static_cast<int64_t>(expected_roots.size())};
}

absl::StatusOr<LogVerification> VerifySinceLatestCheckpoint(
    AuditLog& log, const std::vector<audit::NoteVerifier>& verifiers) {
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest,
                   log.LatestCheckpoint());
  if (!latest.has_value()) return VerifyLog(log, verifiers);
  const TreeHead durable = log.DurableTree();
  const int64_t size = latest->size;
  if (size > durable.size) {
    return absl::DataLossError(absl::StrCat(
        "the log ends at position ", durable.size,
        " but the latest checkpoint covers ", size,
        " entries: entries were removed (or the data directory was rolled "
        "back)"));
  }
  ASSIGN_OR_RETURN(audit::Checkpoint checkpoint,
                   OpenCheckpoint(*latest, verifiers));
  // The stored tree at the checkpoint's size must make its root.
  ASSIGN_OR_RETURN(audit::TiledTree tree,
                   StoredTree(static_cast<uint64_t>(size),
                              [&log](audit::TileId tile) {
                                return log.ReadTile(tile);
                              }));
  if (tree.frontier().Root() != checkpoint.root_hash) {
    return absl::DataLossError(absl::StrCat(
        "the stored Merkle tree does not match the signed checkpoint of tree "
        "size ",
        size, ": history up to position ", size, " was rewritten"));
  }
  // The checkpoint's last entry, proven included, anchors the chain.
  ChainHead head{0, GenesisHash()};
  if (size > 0) {
    ASSIGN_OR_RETURN(std::string last_entry, log.EntryAt(size));
    ASSIGN_OR_RETURN(std::vector<std::string> proof,
                     log.InclusionProof(size, size));
    if (!audit::VerifyInclusion(static_cast<uint64_t>(size - 1),
                                static_cast<uint64_t>(size),
                                audit::LeafHash(last_entry), proof,
                                checkpoint.root_hash)
             .ok()) {
      return DamagedAt(size, "the entry is not the one the checkpoint signed");
    }
    absl::StatusOr<EventEnvelope> event = DecodeEvent(last_entry);
    if (!event.ok()) return DamagedAt(size, event.status().message());
    head = {size, event->hash};
  }
  Recomputation recomputation(log, std::move(tree), head,
                              /*check_streams=*/false);
  PreparedScan scan([&recomputation](PreparedEntry& entry) {
    return recomputation.Visit(entry);
  });
  RETURN_IF_ERROR(ScanPrepared(log, size + 1, scan));
  if (recomputation.head().position != durable.size) {
    return DamagedAt(recomputation.head().position + 1,
                    absl::StrCat("missing (the log's head is position ",
                                 durable.size, ")"));
  }
  RETURN_IF_ERROR(recomputation.Finish());
  return LogVerification{
      size + 1, recomputation.head(),
      {durable.size, recomputation.tree().frontier().Root()}, 1};
}

}  // namespace riskledger::storage
