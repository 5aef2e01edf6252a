// The tree's stored form (M14): tiles written once per group hold every
// complete node of every tree size, a tree restored from them goes on
// exactly as one that never stopped, and a missing or short tile is damage
// named by the first log position it covers.
#include "storage/stored_tree.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/audit/merkle_frontier.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/merkle_tiles.h"
#include "storage/audit/sha256.h"

namespace riskledger::storage {
namespace {

using ::testing::HasSubstr;

using TileMap = std::map<std::pair<int, uint64_t>, std::string>;

// A tree grown in groups of `group` leaves, its tiles stored after each
// group as the store does, and every node a frontier reports (the
// reference, itself checked against RFC 6962 in merkle_tree_test.cc).
struct GrownTree {
  audit::TiledTree tree;
  audit::MerkleFrontier reference;
  TileMap tiles;
  std::map<std::pair<int, uint64_t>, std::string> nodes;

  void Grow(uint64_t count) {
    auto store = [&](audit::TileId tile, const std::string& hashes) {
      tiles[{tile.row, tile.index}] = hashes;
    };
    for (uint64_t i = 0; i < count; ++i) {
      const std::string leaf =
          audit::LeafHash(absl::StrCat("entry ", tree.size()));
      reference.Append(leaf, [&](audit::NodeId node, const std::string& hash) {
        nodes[{node.level, node.index}] = hash;
      });
      tree.Append(leaf, store);
    }
    tree.TakeChangedEdges(store);
  }

  absl::StatusOr<std::optional<std::string>> Tile(audit::TileId tile) const {
    auto it = tiles.find({tile.row, tile.index});
    if (it == tiles.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
};

TEST(StoredTreeTest, TilesHoldEveryCompleteNodeWhateverTheGroupSize) {
  for (uint64_t group : {1, 3, 17, 40}) {
    GrownTree grown;
    while (grown.tree.size() < 300) {
      grown.Grow(group);
      for (const auto& [id, hash] : grown.nodes) {
        absl::StatusOr<std::string> stored =
            StoredNode(audit::NodeId{id.first, id.second},
                       [&](audit::TileId tile) { return grown.Tile(tile); });
        ASSERT_TRUE(stored.ok()) << stored.status();
        ASSERT_EQ(*stored, hash) << "node " << id.first << "/" << id.second
                                 << " at size " << grown.tree.size()
                                 << ", groups of " << group;
      }
    }
  }
}

TEST(StoredTreeTest, FewTilesAreStored) {
  // 300 leaves in groups of 17: 19 tiles of leaves, 2 of level-4 nodes,
  // 1 of level-8 nodes; nothing else.
  GrownTree grown;
  while (grown.tree.size() + 17 <= 300) grown.Grow(17);
  grown.Grow(300 - grown.tree.size());
  EXPECT_EQ(grown.tiles.size(), 19u + 2u + 1u);
  EXPECT_EQ(grown.tiles.at({0, 18}).size(), 12 * audit::kHashSize);
  EXPECT_EQ(grown.tiles.at({1, 1}).size(), 2 * audit::kHashSize);
  EXPECT_EQ(grown.tiles.at({2, 0}).size(), 1 * audit::kHashSize);
}

TEST(StoredTreeTest, ARestoredTreeGoesOnLikeOneThatNeverStopped) {
  for (uint64_t size = 0; size <= 140; ++size) {
    GrownTree whole;
    whole.Grow(size);
    absl::StatusOr<audit::TiledTree> restored = StoredTree(
        size, [&](audit::TileId tile) { return whole.Tile(tile); });
    ASSERT_TRUE(restored.ok()) << "size " << size << ": " << restored.status();
    ASSERT_EQ(restored->frontier().Root(), whole.tree.frontier().Root());
    GrownTree resumed;
    resumed.tree = *std::move(restored);
    resumed.tiles = whole.tiles;
    whole.Grow(70);
    resumed.Grow(70);
    EXPECT_EQ(resumed.tree.frontier().Root(), whole.tree.frontier().Root())
        << "size " << size;
    EXPECT_EQ(resumed.tiles, whole.tiles) << "size " << size;
  }
}

TEST(StoredTreeTest, AMissingTileIsNamedByTheFirstPositionItCovers) {
  GrownTree grown;
  grown.Grow(100);
  grown.tiles.erase({0, 2});  // leaves 32..47: positions 33 to 48
  absl::Status missing =
      StoredTree(100, [&](audit::TileId tile) { return grown.Tile(tile); })
          .status();
  // The frontier of 100 leaves reads node 6/0 from tile 1/0, so the tree
  // itself loads; a leaf of the missing tile does not.
  EXPECT_TRUE(missing.ok()) << missing;
  absl::StatusOr<std::string> leaf =
      StoredNode(audit::NodeId{0, 40},
                 [&](audit::TileId tile) { return grown.Tile(tile); });
  EXPECT_EQ(leaf.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(leaf.status().message(), HasSubstr("position 33:"));
  EXPECT_THAT(leaf.status().message(), HasSubstr("lacks its tile 0/2"));

  grown.tiles.erase({0, 6});  // the incomplete tile of leaves 96..99
  absl::Status edge =
      StoredTree(100, [&](audit::TileId tile) { return grown.Tile(tile); })
          .status();
  EXPECT_EQ(edge.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(edge.message(), HasSubstr("position 97:"));
}

TEST(StoredTreeTest, AShortTileIsDamage) {
  GrownTree grown;
  grown.Grow(100);
  grown.tiles[{0, 6}].resize(2 * audit::kHashSize);  // 4 leaves needed
  absl::Status shortened =
      StoredTree(100, [&](audit::TileId tile) { return grown.Tile(tile); })
          .status();
  EXPECT_EQ(shortened.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(shortened.message(), HasSubstr("position 99:"));
  grown.tiles[{1, 0}].resize(10);  // not whole hashes
  absl::StatusOr<std::string> node =
      StoredNode(audit::NodeId{5, 0},
                 [&](audit::TileId tile) { return grown.Tile(tile); });
  EXPECT_EQ(node.status().code(), absl::StatusCode::kDataLoss);
}

TEST(StoredTreeTest, RestoreRefusesEdgesThatDoNotFitTheSize) {
  GrownTree grown;
  grown.Grow(20);
  std::vector<std::string> subtrees = {grown.nodes.at({4, 0}),
                                       grown.nodes.at({2, 4})};
  // 20 leaves: row 0 has 4 hashes in its incomplete tile, row 1 one.
  std::vector<std::string> edges = {grown.tiles.at({0, 1}),
                                    grown.tiles.at({1, 0})};
  EXPECT_TRUE(audit::TiledTree::Restore(20, subtrees, edges).ok());
  edges[0].resize(3 * audit::kHashSize);
  EXPECT_EQ(audit::TiledTree::Restore(20, subtrees, edges).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace riskledger::storage
