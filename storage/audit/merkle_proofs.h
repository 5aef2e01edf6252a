// Builds RFC 6962 / RFC 9162 proofs (section 2.1.3 and 2.1.4) from the
// stored perfect subtrees of a tree: the server side of proof checking.
#ifndef RISKLEDGER_STORAGE_AUDIT_MERKLE_PROOFS_H_
#define RISKLEDGER_STORAGE_AUDIT_MERKLE_PROOFS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "storage/audit/merkle_hash.h"

namespace riskledger::audit {

// The hash of a perfect subtree of the tree, as stored; an error when it is
// missing or unreadable (returned as is by the functions below).
using SubtreeSource = absl::FunctionRef<absl::StatusOr<std::string>(NodeId)>;

// The root hash of the first `size` leaves.
absl::StatusOr<std::string> RootAt(uint64_t size, SubtreeSource subtrees);

// Inclusion proof of leaf `index` in the tree of its first `size` leaves
// (RFC 9162 PATH). INVALID_ARGUMENT unless index < size.
absl::StatusOr<std::vector<std::string>> InclusionProof(
    uint64_t index, uint64_t size, SubtreeSource subtrees);

// Consistency proof between the trees of the first `size1` and `size2`
// leaves (RFC 9162 PROOF); empty when size1 is 0 or equals size2.
// INVALID_ARGUMENT unless size1 <= size2.
absl::StatusOr<std::vector<std::string>> ConsistencyProof(
    uint64_t size1, uint64_t size2, SubtreeSource subtrees);

}  // namespace riskledger::audit

#endif  // RISKLEDGER_STORAGE_AUDIT_MERKLE_PROOFS_H_
