// The verifiable side of the log (M14): the RFC 6962 Merkle tree over every
// entry, the signed checkpoints of it, the public keys that signed them, and
// the write refusal that follows a failed verification. Read by the
// verifier, the checkpointer and the AuditService.
#ifndef RISKLEDGER_STORAGE_AUDIT_LOG_H_
#define RISKLEDGER_STORAGE_AUDIT_LOG_H_

#include <cstdint>
#include <optional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/merkle_tiles.h"

namespace riskledger::storage {

// The tree over the first `size` entries of the log (leaf i = entry at
// position i + 1) and its RFC 6962 root.
struct TreeHead {
  int64_t size = 0;
  std::string root;
};

// A signed checkpoint as stored: the tree size it covers and the signed
// note (storage/audit/checkpoint.h, signed_note.h).
struct StoredCheckpoint {
  int64_t size = 0;
  std::string note;
};

// The stored tiles of one row of the tree, in index order.
class TileCursor {
 public:
  virtual ~TileCursor() = default;
  // The next stored tile's index and hashes; nullopt past the last.
  virtual absl::StatusOr<std::optional<std::pair<uint64_t, std::string>>>
  Next() = 0;
};

// Thread safety: every method may be called concurrently with appends.
// Tree reads see durable entries only.
// Subtree hashes already read, for proofs of many entries to one tree
// (their paths share most of their upper nodes). Bounded: cleared once it
// holds kMaxNodes. Not thread-safe; one per sequence of proofs.
class SubtreeCache {
 public:
  static constexpr size_t kMaxNodes = 1 << 16;

  const std::string* Find(audit::NodeId node) const;
  void Add(audit::NodeId node, const std::string& hash);

 private:
  absl::flat_hash_map<std::pair<int, uint64_t>, std::string> nodes_;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // The tree over every durable entry. Its root is empty when the stored
  // tree could not be loaded (the store then refuses writes).
  virtual TreeHead DurableTree() = 0;

  // The stored hash of a perfect subtree of the durable tree. DATA_LOSS when
  // it is missing or malformed; OUT_OF_RANGE beyond the durable tree.
  virtual absl::StatusOr<std::string> TreeNode(audit::NodeId node) = 0;

  // The root of the first `size` entries. OUT_OF_RANGE beyond the durable
  // tree.
  absl::StatusOr<std::string> RootAt(int64_t size);
  // Inclusion proof of the entry at `position` in the tree of `size`.
  absl::StatusOr<std::vector<std::string>> InclusionProof(int64_t position,
                                                          int64_t size);
  // The same, reading subtrees through `cache` first (and filling it).
  absl::StatusOr<std::vector<std::string>> InclusionProof(int64_t position,
                                                          int64_t size,
                                                          SubtreeCache& cache);
  // Consistency proof from the tree of `size1` to that of `size2`.
  absl::StatusOr<std::vector<std::string>> ConsistencyProof(int64_t size1,
                                                            int64_t size2);

  // The stored tiles of tile row `row` from `from_index` on: a verifier
  // compares them with the tiles it recomputes in one sequential read per
  // row instead of a lookup per tile.
  virtual std::unique_ptr<TileCursor> ScanTiles(int row,
                                                uint64_t from_index) = 0;
  // One stored tile's hashes (full or the incomplete one at the right
  // edge of its row, which may have grown since the durable tree was read);
  // nullopt when it is not stored.
  virtual absl::StatusOr<std::optional<std::string>> ReadTile(
      audit::TileId tile) = 0;

  // The stored (encoded) entry at `position` of the durable log. DATA_LOSS
  // when it is missing, OUT_OF_RANGE beyond the durable log.
  virtual absl::StatusOr<std::string> EntryAt(int64_t position) = 0;

  // Calls `visit` with each stored entry from `from_position` to the end of
  // the durable log, in position order, as stored (encoded; the key's
  // position beside it); stops at the first error `visit` returns.
  virtual absl::Status ScanEntries(
      int64_t from_position,
      absl::FunctionRef<absl::Status(int64_t position, absl::string_view entry)>
          visit) = 0;

  // Stores a signed checkpoint of the tree of `size` (at most one per size;
  // an existing one is kept).
  virtual absl::Status SaveCheckpoint(const StoredCheckpoint& checkpoint) = 0;
  // The checkpoint of the largest tree, if any.
  virtual absl::StatusOr<std::optional<StoredCheckpoint>>
  LatestCheckpoint() = 0;
  // Up to `max_count` checkpoints with size > `after_size`, by size.
  virtual absl::StatusOr<std::vector<StoredCheckpoint>> ListCheckpoints(
      int64_t after_size, size_t max_count) = 0;

  // The log's origin (the first line of its checkpoints and the name of its
  // keys): the stored one, or `proposed` once stored when there is none.
  virtual absl::StatusOr<std::string> EstablishOrigin(
      absl::string_view proposed) = 0;
  // Public (verifier) keys that signed or sign checkpoints, oldest first;
  // AddVerifierKey keeps every key ever added (rotation keeps old ones).
  virtual absl::Status AddVerifierKey(absl::string_view encoded) = 0;
  virtual absl::StatusOr<std::vector<std::string>> VerifierKeys() = 0;

  // From now on appends are refused with FAILED_PRECONDITION naming `why`
  // (the log failed verification); reads go on. Not undone while open.
  virtual void RefuseWrites(const absl::Status& why) = 0;
  // OK unless RefuseWrites was called.
  virtual absl::Status integrity_fault() const = 0;
};

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_AUDIT_LOG_H_
