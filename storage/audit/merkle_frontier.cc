// MerkleFrontier: appends fold completed subtrees as a binary counter does
// its carries.
#include "storage/audit/merkle_frontier.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/audit/sha256.h"

namespace riskledger::audit {

std::vector<NodeId> MerkleFrontier::Decompose(uint64_t size) {
  std::vector<NodeId> nodes;
  uint64_t start = 0;
  for (int level = 63; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if ((size & width) == 0) continue;
    nodes.push_back({level, start >> level});
    start += width;
  }
  return nodes;
}

absl::StatusOr<MerkleFrontier> MerkleFrontier::FromSubtrees(
    uint64_t size, std::vector<std::string> hashes) {
  const size_t expected = Decompose(size).size();
  if (hashes.size() != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("a tree of ", size, " leaves has ", expected,
                     " edge subtrees, got ", hashes.size(), " hashes"));
  }
  for (const std::string& hash : hashes) {
    if (hash.size() != kHashSize) {
      return absl::InvalidArgumentError(absl::StrCat(
          "a subtree hash has ", hash.size(), " bytes, not ", kHashSize));
    }
  }
  MerkleFrontier frontier;
  frontier.size_ = size;
  frontier.subtrees_ = std::move(hashes);
  return frontier;
}

void MerkleFrontier::Append(
    std::string leaf_hash,
    absl::FunctionRef<void(NodeId, const std::string&)> completed) {
  NodeId node{0, size_};
  completed(node, leaf_hash);
  subtrees_.push_back(std::move(leaf_hash));
  // Each trailing one bit of the leaf's index is a left sibling subtree of
  // the same width that the new subtree now completes.
  while ((node.index & 1) != 0) {
    std::string right = std::move(subtrees_.back());
    subtrees_.pop_back();
    subtrees_.back() = NodeHash(subtrees_.back(), right);
    node = {node.level + 1, node.index >> 1};
    completed(node, subtrees_.back());
  }
  ++size_;
}

std::string MerkleFrontier::Root() const {
  if (subtrees_.empty()) return EmptyTreeRoot();
  // RFC 6962 splits at the largest power of two: the leftmost subtree, then
  // the root of the rest, recursively; so fold from the right.
  std::string root = subtrees_.back();
  for (size_t i = subtrees_.size() - 1; i-- > 0;) {
    root = NodeHash(subtrees_[i], root);
  }
  return root;
}

}  // namespace riskledger::audit
