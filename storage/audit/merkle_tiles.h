// The Merkle tree's stored form: tiles, after C2SP tlog-tiles. A tile of row
// r holds up to 16 consecutive hashes of tree level 4r (row 0: leaves); the
// nodes of the three levels above a row are folded from it on reading. The
// log stores each tile it changes once per group commit, full or partial,
// instead of every node it completes: about one write per group instead of
// two per entry, and every leaf hash stays stored. M14.
#ifndef RISKLEDGER_STORAGE_AUDIT_MERKLE_TILES_H_
#define RISKLEDGER_STORAGE_AUDIT_MERKLE_TILES_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/audit/merkle_frontier.h"
#include "storage/audit/merkle_hash.h"

namespace riskledger::audit {

// Tree levels per tile row, and hashes per full tile.
inline constexpr int kTileHeight = 4;
inline constexpr uint64_t kTileWidth = uint64_t{1} << kTileHeight;
// Rows of a tree of up to 2^64 leaves.
inline constexpr int kTileRows = 64 / kTileHeight;

// Tile `index` of row `row`: the level-(4·row) nodes 16·index to
// 16·index + 15.
struct TileId {
  int row = 0;
  uint64_t index = 0;

  friend bool operator==(const TileId& a, const TileId& b) {
    return a.row == b.row && a.index == b.index;
  }
};

// How many nodes of row `row` are complete in a tree of `size` leaves.
inline uint64_t RowWidth(uint64_t size, int row) {
  return size >> (kTileHeight * row);
}

// The tile holding the nodes `node` is folded from, and where in it they
// start and how many there are.
struct TileSpan {
  TileId tile;
  uint64_t first = 0;  // slot of the first node
  uint64_t count = 0;  // a power of two, at most kTileWidth
};
TileSpan SpanOf(NodeId node);

// The hash of `node` from its tile's stored bytes (concatenated hashes).
// DATA_LOSS if the tile is too short for it or not made of 32-byte hashes.
absl::StatusOr<std::string> NodeFromTile(NodeId node, absl::string_view tile);

// The first log position (1-based) a node of `row` at `index` covers.
inline uint64_t FirstPositionOf(int row, uint64_t index) {
  return (index << (kTileHeight * row)) + 1;
}

// A tree being appended to, with the right-most (incomplete) tile of every
// row: what is needed to store the tiles each append changes.
class TiledTree {
 public:
  // The tree of `size` leaves from its frontier's subtrees (as
  // MerkleFrontier::FromSubtrees takes them) and, for every row whose width
  // is not a multiple of 16, its incomplete tile's hashes (exactly
  // RowWidth % 16 of them; rows that have none are left empty).
  // INVALID_ARGUMENT when they do not fit that size.
  static absl::StatusOr<TiledTree> Restore(uint64_t size,
                                           std::vector<std::string> subtrees,
                                           std::vector<std::string> edges);

  TiledTree() = default;

  uint64_t size() const { return frontier_.size(); }
  const MerkleFrontier& frontier() const { return frontier_; }

  // Appends a leaf; `full_tile` is called with every tile it completes.
  void Append(std::string leaf_hash,
              absl::FunctionRef<void(TileId, const std::string&)> full_tile);

  // Every incomplete tile appended to since the last call, once, with its
  // hashes: with the full tiles Append reported, the tiles to store.
  void TakeChangedEdges(
      absl::FunctionRef<void(TileId, const std::string&)> edge);

  // Every row's incomplete tile that holds at least one hash.
  void EdgeTiles(
      absl::FunctionRef<void(TileId, const std::string&)> edge) const;

 private:
  MerkleFrontier frontier_;
  // Per row, the hashes of its incomplete tile, concatenated.
  std::array<std::string, kTileRows> edges_;
  std::array<bool, kTileRows> changed_{};
};

}  // namespace riskledger::audit

#endif  // RISKLEDGER_STORAGE_AUDIT_MERKLE_TILES_H_
