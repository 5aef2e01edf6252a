// The right edge of a growing Merkle tree: enough to append leaves and to
// compute the root without reading the tree back.
#ifndef RISKLEDGER_STORAGE_AUDIT_MERKLE_FRONTIER_H_
#define RISKLEDGER_STORAGE_AUDIT_MERKLE_FRONTIER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "storage/audit/merkle_hash.h"

namespace riskledger::audit {

// The hashes of the perfect subtrees a tree of `size` leaves decomposes
// into, largest (leftmost) first: one per set bit of `size`. A value type;
// not thread-safe.
class MerkleFrontier {
 public:
  // The subtrees of a tree of `size` leaves, largest first.
  static std::vector<NodeId> Decompose(uint64_t size);

  // The frontier of a tree of `size` leaves from the hashes of
  // Decompose(size), in that order. INVALID_ARGUMENT if there are not as
  // many hashes as subtrees or one is not 32 bytes.
  static absl::StatusOr<MerkleFrontier> FromSubtrees(
      uint64_t size, std::vector<std::string> hashes);

  MerkleFrontier() = default;

  uint64_t size() const { return size_; }

  // Appends a leaf (its LeafHash). Reports every node the leaf completes,
  // bottom-up: the leaf itself (level 0), then each interior node whose
  // last leaf it is. These are exactly the nodes a stored tree gains.
  void Append(std::string leaf_hash,
              absl::FunctionRef<void(NodeId, const std::string&)> completed);

  // The RFC 6962 root hash of the tree (EmptyTreeRoot() when empty).
  std::string Root() const;

 private:
  uint64_t size_ = 0;
  // Hashes of Decompose(size_), largest first.
  std::vector<std::string> subtrees_;
};

}  // namespace riskledger::audit

#endif  // RISKLEDGER_STORAGE_AUDIT_MERKLE_FRONTIER_H_
