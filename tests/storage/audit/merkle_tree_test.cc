// The tree a MerkleFrontier grows equals RFC 6962's recursive definition,
// and the proofs built from the nodes it reports verify (and fail when a bit
// of them changes) for every tree size up to 130 (M14).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/audit/merkle_frontier.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/merkle_proofs.h"
#include "storage/audit/proof_verifier.h"

namespace riskledger::audit {
namespace {

constexpr uint64_t kMaxSize = 130;

// MTH of RFC 6962 section 2.1, straight from the definition.
std::string ReferenceRoot(const std::vector<std::string>& leaves, size_t begin,
                          size_t end) {
  const size_t n = end - begin;
  if (n == 0) return EmptyTreeRoot();
  if (n == 1) return LeafHash(leaves[begin]);
  const size_t k = SplitPoint(n);
  return NodeHash(ReferenceRoot(leaves, begin, begin + k),
                  ReferenceRoot(leaves, begin + k, end));
}

// A tree grown by a frontier, its reported nodes kept as a store keeps them.
class GrownTree {
 public:
  explicit GrownTree(uint64_t size) {
    for (uint64_t i = 0; i < size; ++i) {
      leaves_.push_back(absl::StrCat("entry ", i));
      frontier_.Append(LeafHash(leaves_.back()),
                       [&](NodeId node, const std::string& hash) {
                         EXPECT_TRUE(
                             nodes_.emplace(Key(node), hash).second)
                             << "node reported twice";
                       });
      roots_.push_back(frontier_.Root());
    }
  }
  const std::vector<std::string>& leaves() const { return leaves_; }
  const MerkleFrontier& frontier() const { return frontier_; }
  // Root after `size` leaves, as the frontier computed it then.
  const std::string& RootAfter(uint64_t size) const {
    return size == 0 ? EmptyTreeRoot() : roots_[size - 1];
  }
  absl::StatusOr<std::string> Node(NodeId node) const {
    auto it = nodes_.find(Key(node));
    if (it == nodes_.end()) {
      return absl::NotFoundError(
          absl::StrCat("no node ", node.level, "/", node.index));
    }
    return it->second;
  }
  size_t node_count() const { return nodes_.size(); }

 private:
  static std::pair<int, uint64_t> Key(NodeId node) {
    return {node.level, node.index};
  }
  std::vector<std::string> leaves_;
  MerkleFrontier frontier_;
  std::vector<std::string> roots_;
  std::map<std::pair<int, uint64_t>, std::string> nodes_;
};

std::string FlipBit(std::string hash, size_t bit) {
  const size_t at = bit / 8 % hash.size();
  hash[at] = static_cast<char>(static_cast<unsigned char>(hash[at]) ^
                               (1U << (bit % 8)));
  return hash;
}

TEST(MerkleTreeTest, FrontierRootEqualsTheRecursiveDefinitionAtEverySize) {
  GrownTree tree(kMaxSize);
  EXPECT_EQ(tree.RootAfter(0), ReferenceRoot(tree.leaves(), 0, 0));
  for (uint64_t size = 1; size <= kMaxSize; ++size) {
    EXPECT_EQ(tree.RootAfter(size), ReferenceRoot(tree.leaves(), 0, size))
        << size;
  }
  // Every perfect subtree is reported once: 2n - popcount(n) nodes.
  EXPECT_EQ(tree.node_count(), 2 * kMaxSize - 2);  // popcount(130) == 2
}

TEST(MerkleTreeTest, RootAtFromStoredNodesEqualsTheRootOfThatTime) {
  GrownTree tree(kMaxSize);
  auto source = [&](NodeId node) { return tree.Node(node); };
  for (uint64_t size = 0; size <= kMaxSize; ++size) {
    absl::StatusOr<std::string> root = RootAt(size, source);
    ASSERT_TRUE(root.ok()) << root.status();
    EXPECT_EQ(*root, tree.RootAfter(size)) << size;
  }
}

TEST(MerkleTreeTest, FrontierRestoredFromStoredSubtreesContinuesTheTree) {
  GrownTree tree(kMaxSize);
  for (uint64_t size : {0, 1, 2, 3, 7, 8, 64, 100}) {
    std::vector<std::string> subtrees;
    for (NodeId node : MerkleFrontier::Decompose(size)) {
      subtrees.push_back(*tree.Node(node));
    }
    absl::StatusOr<MerkleFrontier> restored =
        MerkleFrontier::FromSubtrees(size, subtrees);
    ASSERT_TRUE(restored.ok()) << restored.status();
    for (uint64_t i = size; i < kMaxSize; ++i) {
      restored->Append(LeafHash(tree.leaves()[i]),
                       [&](NodeId node, const std::string& hash) {
                         EXPECT_EQ(hash, *tree.Node(node));
                       });
    }
    EXPECT_EQ(restored->Root(), tree.frontier().Root()) << size;
  }
  EXPECT_FALSE(MerkleFrontier::FromSubtrees(3, {std::string(32, 'a')}).ok());
  EXPECT_FALSE(MerkleFrontier::FromSubtrees(1, {"short"}).ok());
}

TEST(MerkleTreeTest, InclusionProofsVerifyForEveryLeafAndFailWhenChanged) {
  GrownTree tree(kMaxSize);
  auto source = [&](NodeId node) { return tree.Node(node); };
  for (uint64_t size = 1; size <= kMaxSize; ++size) {
    const std::string& root = tree.RootAfter(size);
    for (uint64_t index = 0; index < size; ++index) {
      const std::string leaf = LeafHash(tree.leaves()[index]);
      absl::StatusOr<std::vector<std::string>> proof =
          InclusionProof(index, size, source);
      ASSERT_TRUE(proof.ok()) << proof.status();
      ASSERT_TRUE(VerifyInclusion(index, size, leaf, *proof, root).ok())
          << index << " in " << size;
      for (size_t i = 0; i < proof->size(); ++i) {
        std::vector<std::string> flipped = *proof;
        flipped[i] = FlipBit(flipped[i], index + i);
        EXPECT_FALSE(VerifyInclusion(index, size, leaf, flipped, root).ok());
      }
      EXPECT_FALSE(
          VerifyInclusion(index, size, FlipBit(leaf, size), *proof, root)
              .ok());
      EXPECT_FALSE(
          VerifyInclusion(index, size, leaf, *proof, FlipBit(root, index))
              .ok());
      if (size > 1) {
        EXPECT_FALSE(VerifyInclusion((index + 1) % size, size, leaf, *proof,
                                     root)
                         .ok());
      }
    }
  }
  EXPECT_FALSE(InclusionProof(5, 5, source).ok());
}

TEST(MerkleTreeTest, ConsistencyProofsVerifyForAllPairsAndFailWhenChanged) {
  constexpr uint64_t kPairsUpTo = 70;
  GrownTree tree(kPairsUpTo);
  auto source = [&](NodeId node) { return tree.Node(node); };
  for (uint64_t size2 = 1; size2 <= kPairsUpTo; ++size2) {
    for (uint64_t size1 = 1; size1 <= size2; ++size1) {
      const std::string& root1 = tree.RootAfter(size1);
      const std::string& root2 = tree.RootAfter(size2);
      absl::StatusOr<std::vector<std::string>> proof =
          ConsistencyProof(size1, size2, source);
      ASSERT_TRUE(proof.ok()) << proof.status();
      ASSERT_TRUE(VerifyConsistency(size1, size2, *proof, root1, root2).ok())
          << size1 << " to " << size2;
      for (size_t i = 0; i < proof->size(); ++i) {
        std::vector<std::string> flipped = *proof;
        flipped[i] = FlipBit(flipped[i], size1 + i);
        EXPECT_FALSE(
            VerifyConsistency(size1, size2, flipped, root1, root2).ok());
      }
      EXPECT_FALSE(VerifyConsistency(size1, size2, *proof,
                                     FlipBit(root1, size2), root2)
                       .ok());
      EXPECT_FALSE(VerifyConsistency(size1, size2, *proof, root1,
                                     FlipBit(root2, size1))
                       .ok());
      // Another first tree (one leaf shorter) with the same proof.
      EXPECT_FALSE(VerifyConsistency(size1, size2, *proof,
                                     tree.RootAfter(size1 - 1), root2)
                       .ok());
    }
  }
  EXPECT_FALSE(ConsistencyProof(3, 2, source).ok());
}

}  // namespace
}  // namespace riskledger::audit
