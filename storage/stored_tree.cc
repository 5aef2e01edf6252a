// Reading nodes and whole trees out of stored tiles.
#include "storage/stored_tree.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "storage/audit/merkle_frontier.h"
#include "storage/audit/sha256.h"
#include "storage/chain_verifier.h"

namespace riskledger::storage {

absl::Status MissingTile(audit::TileId tile) {
  const uint64_t first = audit::FirstPositionOf(tile.row,
                                                tile.index * audit::kTileWidth);
  const uint64_t last = audit::FirstPositionOf(
                            tile.row, (tile.index + 1) * audit::kTileWidth) -
                        1;
  return DamagedAt(static_cast<int64_t>(first),
                   absl::StrCat("the Merkle tree lacks its tile ", tile.row,
                                "/", tile.index, " (covering log positions ",
                                first, " to ", last, ")"));
}

absl::StatusOr<std::string> StoredNode(audit::NodeId node, TileSource tiles) {
  const audit::TileSpan span = audit::SpanOf(node);
  ASSIGN_OR_RETURN(std::optional<std::string> tile, tiles(span.tile));
  if (!tile.has_value()) return MissingTile(span.tile);
  absl::StatusOr<std::string> hash = audit::NodeFromTile(node, *tile);
  if (!hash.ok()) {
    // Named by the first hash the node needs that the tile lacks.
    const uint64_t lacking =
        std::max<uint64_t>(span.first, tile->size() / audit::kHashSize);
    return DamagedAt(static_cast<int64_t>(audit::FirstPositionOf(
                         span.tile.row,
                         span.tile.index * audit::kTileWidth + lacking)),
                     hash.status().message());
  }
  return hash;
}

absl::StatusOr<audit::TiledTree> StoredTree(uint64_t size, TileSource tiles) {
  std::vector<std::string> subtrees;
  for (audit::NodeId node : audit::MerkleFrontier::Decompose(size)) {
    ASSIGN_OR_RETURN(std::string hash, StoredNode(node, tiles));
    subtrees.push_back(std::move(hash));
  }
  std::vector<std::string> edges(audit::kTileRows);
  for (int row = 0; row < audit::kTileRows; ++row) {
    const uint64_t width = audit::RowWidth(size, row);
    const uint64_t incomplete = width % audit::kTileWidth;
    if (incomplete == 0) continue;
    const audit::TileId id{row, width / audit::kTileWidth};
    ASSIGN_OR_RETURN(std::optional<std::string> tile, tiles(id));
    if (!tile.has_value()) return MissingTile(id);
    if (tile->size() < incomplete * audit::kHashSize ||
        tile->size() % audit::kHashSize != 0) {
      return DamagedAt(
          static_cast<int64_t>(audit::FirstPositionOf(
              row, id.index * audit::kTileWidth +
                       tile->size() / audit::kHashSize)),
          absl::StrCat("the Merkle tree's tile ", row, "/", id.index,
                       " holds ", tile->size(), " bytes, fewer than the ",
                       incomplete, " hashes the log needs"));
    }
    edges[row] = tile->substr(0, incomplete * audit::kHashSize);
  }
  absl::StatusOr<audit::TiledTree> tree =
      audit::TiledTree::Restore(size, std::move(subtrees), std::move(edges));
  if (!tree.ok()) return absl::DataLossError(tree.status().message());
  return tree;
}

}  // namespace riskledger::storage
