// The recursive definitions of RFC 9162 section 2.1, over subtrees fetched
// from the store. Every subtree the recursion names either is perfect (one
// fetch) or lies on the tree's right edge (one fetch per set bit), so a
// proof costs O(log n) fetches.
#include "storage/audit/merkle_proofs.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"

namespace riskledger::audit {
namespace {

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

int Log2(uint64_t power_of_two) {
  int level = 0;
  while ((uint64_t{1} << level) < power_of_two) ++level;
  return level;
}

// MTH(D[start : start + n]), n >= 1. `start` is always a multiple of the
// largest power of two <= n here, as the RFC's splits guarantee.
absl::StatusOr<std::string> SubtreeHash(uint64_t start, uint64_t n,
                                        SubtreeSource subtrees) {
  if (IsPowerOfTwo(n)) {
    const int level = Log2(n);
    return subtrees(NodeId{level, start >> level});
  }
  const uint64_t k = SplitPoint(n);
  ASSIGN_OR_RETURN(std::string left, SubtreeHash(start, k, subtrees));
  ASSIGN_OR_RETURN(std::string right, SubtreeHash(start + k, n - k, subtrees));
  return NodeHash(left, right);
}

// PATH(m, D[start : start + n]), appended to `proof` leaf-side first.
absl::Status AppendPath(uint64_t m, uint64_t start, uint64_t n,
                        SubtreeSource subtrees,
                        std::vector<std::string>& proof) {
  if (n == 1) return absl::OkStatus();
  const uint64_t k = SplitPoint(n);
  if (m < k) {
    RETURN_IF_ERROR(AppendPath(m, start, k, subtrees, proof));
    ASSIGN_OR_RETURN(std::string right,
                     SubtreeHash(start + k, n - k, subtrees));
    proof.push_back(std::move(right));
  } else {
    RETURN_IF_ERROR(AppendPath(m - k, start + k, n - k, subtrees, proof));
    ASSIGN_OR_RETURN(std::string left, SubtreeHash(start, k, subtrees));
    proof.push_back(std::move(left));
  }
  return absl::OkStatus();
}

// SUBPROOF(m, D[start : start + n], b), appended to `proof`.
absl::Status AppendSubproof(uint64_t m, uint64_t start, uint64_t n,
                            bool whole, SubtreeSource subtrees,
                            std::vector<std::string>& proof) {
  if (m == n) {
    if (whole) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::string hash, SubtreeHash(start, n, subtrees));
    proof.push_back(std::move(hash));
    return absl::OkStatus();
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    RETURN_IF_ERROR(AppendSubproof(m, start, k, whole, subtrees, proof));
    ASSIGN_OR_RETURN(std::string right,
                     SubtreeHash(start + k, n - k, subtrees));
    proof.push_back(std::move(right));
  } else {
    RETURN_IF_ERROR(
        AppendSubproof(m - k, start + k, n - k, false, subtrees, proof));
    ASSIGN_OR_RETURN(std::string left, SubtreeHash(start, k, subtrees));
    proof.push_back(std::move(left));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> RootAt(uint64_t size, SubtreeSource subtrees) {
  if (size == 0) return EmptyTreeRoot();
  return SubtreeHash(0, size, subtrees);
}

absl::StatusOr<std::vector<std::string>> InclusionProof(
    uint64_t index, uint64_t size, SubtreeSource subtrees) {
  if (index >= size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf index ", index, " is not in a tree of ", size, " leaves"));
  }
  std::vector<std::string> proof;
  RETURN_IF_ERROR(AppendPath(index, 0, size, subtrees, proof));
  return proof;
}

absl::StatusOr<std::vector<std::string>> ConsistencyProof(
    uint64_t size1, uint64_t size2, SubtreeSource subtrees) {
  if (size1 > size2) {
    return absl::InvalidArgumentError(
        absl::StrCat("a tree of ", size1, " leaves cannot precede one of ",
                     size2, " leaves"));
  }
  std::vector<std::string> proof;
  if (size1 == 0 || size1 == size2) return proof;
  RETURN_IF_ERROR(AppendSubproof(size1, 0, size2, true, subtrees, proof));
  return proof;
}

}  // namespace riskledger::audit
