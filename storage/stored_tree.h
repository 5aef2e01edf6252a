// The Merkle tree as the audit column family stores it (tiles, see
// storage/audit/merkle_tiles.h), read through any tile source: a node, or
// the whole tree of a given size ready to be appended to. Damage is
// DATA_LOSS naming the first log position it touches.
#ifndef RISKLEDGER_STORAGE_STORED_TREE_H_
#define RISKLEDGER_STORAGE_STORED_TREE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/merkle_tiles.h"

namespace riskledger::storage {

// A stored tile's hashes (concatenated), or nullopt when it is not stored.
using TileSource = absl::FunctionRef<
    absl::StatusOr<std::optional<std::string>>(audit::TileId)>;

// DATA_LOSS for a tile the tree should hold but does not, naming the log
// positions it covers.
absl::Status MissingTile(audit::TileId tile);

// The hash of `node` (which must be complete in the stored tree).
absl::StatusOr<std::string> StoredNode(audit::NodeId node, TileSource tiles);

// The stored tree over the first `size` entries.
absl::StatusOr<audit::TiledTree> StoredTree(uint64_t size, TileSource tiles);

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_STORED_TREE_H_
