// Tiles: where a node's hashes are, folding them, and the incomplete tile of
// every row kept beside the frontier while appending.
#include "storage/audit/merkle_tiles.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/audit/sha256.h"

namespace riskledger::audit {

TileSpan SpanOf(NodeId node) {
  const int row = node.level / kTileHeight;
  const int above = node.level % kTileHeight;
  const uint64_t first_in_row = node.index << above;
  return {TileId{row, first_in_row / kTileWidth}, first_in_row % kTileWidth,
          uint64_t{1} << above};
}

absl::StatusOr<std::string> NodeFromTile(NodeId node, absl::string_view tile) {
  const TileSpan span = SpanOf(node);
  if (tile.size() % kHashSize != 0 ||
      tile.size() < (span.first + span.count) * kHashSize) {
    return absl::DataLossError(absl::StrCat(
        "the Merkle tree's tile ", span.tile.row, "/", span.tile.index,
        " holds ", tile.size(), " bytes, too few for its node ", node.level,
        "/", node.index));
  }
  std::vector<std::string> hashes;
  hashes.reserve(span.count);
  for (uint64_t slot = span.first; slot < span.first + span.count; ++slot) {
    hashes.emplace_back(tile.substr(slot * kHashSize, kHashSize));
  }
  while (hashes.size() > 1) {
    for (size_t i = 0; i < hashes.size() / 2; ++i) {
      hashes[i] = NodeHash(hashes[2 * i], hashes[2 * i + 1]);
    }
    hashes.resize(hashes.size() / 2);
  }
  return std::move(hashes.front());
}

absl::StatusOr<TiledTree> TiledTree::Restore(uint64_t size,
                                             std::vector<std::string> subtrees,
                                             std::vector<std::string> edges) {
  TiledTree tree;
  absl::StatusOr<MerkleFrontier> frontier =
      MerkleFrontier::FromSubtrees(size, std::move(subtrees));
  if (!frontier.ok()) return frontier.status();
  tree.frontier_ = *std::move(frontier);
  if (edges.size() > static_cast<size_t>(kTileRows)) {
    return absl::InvalidArgumentError("more tile rows than a tree has");
  }
  for (int row = 0; row < kTileRows; ++row) {
    const uint64_t expected = RowWidth(size, row) % kTileWidth;
    std::string edge =
        static_cast<size_t>(row) < edges.size() ? std::move(edges[row]) : "";
    if (edge.size() != expected * kHashSize) {
      return absl::InvalidArgumentError(absl::StrCat(
          "row ", row, "'s incomplete tile has ", edge.size(),
          " bytes; a tree of ", size, " leaves needs ", expected * kHashSize));
    }
    tree.edges_[row] = std::move(edge);
  }
  return tree;
}

void TiledTree::Append(
    std::string leaf_hash,
    absl::FunctionRef<void(TileId, const std::string&)> full_tile) {
  frontier_.Append(std::move(leaf_hash),
                   [&](NodeId node, const std::string& hash) {
                     if (node.level % kTileHeight != 0) return;
                     const int row = node.level / kTileHeight;
                     std::string& edge = edges_[row];
                     edge += hash;
                     if (edge.size() < kTileWidth * kHashSize) {
                       changed_[row] = true;
                       return;
                     }
                     full_tile(TileId{row, node.index / kTileWidth}, edge);
                     edge.clear();
                     changed_[row] = false;
                   });
}

void TiledTree::TakeChangedEdges(
    absl::FunctionRef<void(TileId, const std::string&)> edge) {
  for (int row = 0; row < kTileRows; ++row) {
    if (!changed_[row]) continue;
    changed_[row] = false;
    if (edges_[row].empty()) continue;
    edge(TileId{row, RowWidth(size(), row) / kTileWidth}, edges_[row]);
  }
}

void TiledTree::EdgeTiles(
    absl::FunctionRef<void(TileId, const std::string&)> edge) const {
  for (int row = 0; row < kTileRows; ++row) {
    if (edges_[row].empty()) continue;
    edge(TileId{row, RowWidth(size(), row) / kTileWidth}, edges_[row]);
  }
}

}  // namespace riskledger::audit
