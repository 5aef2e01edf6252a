// RFC 9162's iterative proof verification algorithms, with every length
// checked before use.
#include "storage/audit/proof_verifier.h"

#include "absl/strings/str_cat.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/sha256.h"

namespace riskledger::audit {
namespace {

absl::Status Rejected(absl::string_view why) {
  return absl::DataLossError(why);
}

absl::Status CheckHashes(const std::vector<std::string>& proof) {
  for (size_t i = 0; i < proof.size(); ++i) {
    if (proof[i].size() != kHashSize) {
      return Rejected(absl::StrCat("proof hash ", i, " has ", proof[i].size(),
                                   " bytes, not ", kHashSize));
    }
  }
  return absl::OkStatus();
}

// Shifts both numbers right until `fn`'s lowest bit is set or it is 0.
void ShiftToSetBit(uint64_t& fn, uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

absl::Status VerifyInclusion(uint64_t index, uint64_t size,
                             absl::string_view leaf_hash,
                             const std::vector<std::string>& proof,
                             absl::string_view root) {
  if (index >= size) {
    return Rejected(absl::StrCat("leaf index ", index,
                                 " is not in a tree of ", size, " leaves"));
  }
  if (leaf_hash.size() != kHashSize || root.size() != kHashSize) {
    return Rejected("a leaf or root hash is not 32 bytes");
  }
  if (absl::Status hashes = CheckHashes(proof); !hashes.ok()) return hashes;
  uint64_t fn = index;
  uint64_t sn = size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) {
      return Rejected(absl::StrCat("the inclusion proof has more than the ",
                                   "hashes a tree of ", size, " needs"));
    }
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      ShiftToSetBit(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Rejected(absl::StrCat("the inclusion proof has fewer hashes than ",
                                 "a tree of ", size, " needs"));
  }
  if (r != root) {
    return Rejected(absl::StrCat("leaf ", index,
                                 " does not lead to the root of the tree of ",
                                 size, " leaves"));
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t size1, uint64_t size2,
                               const std::vector<std::string>& proof,
                               absl::string_view root1,
                               absl::string_view root2) {
  if (size1 > size2) {
    return Rejected(absl::StrCat("a tree of ", size2,
                                 " leaves cannot extend one of ", size1));
  }
  // Every tree extends the empty one: such a proof would prove nothing, so
  // asking for it is a client's mistake.
  if (size1 == 0) {
    return Rejected("a consistency proof from the empty tree proves nothing");
  }
  if (size1 == size2) {
    if (!proof.empty()) return Rejected("equal trees need an empty proof");
    if (root1 != root2) {
      return Rejected(absl::StrCat("two different roots for a tree of ",
                                   size1, " leaves"));
    }
    return absl::OkStatus();
  }
  if (root1.size() != kHashSize || root2.size() != kHashSize) {
    return Rejected("a root hash is not 32 bytes");
  }
  if (absl::Status hashes = CheckHashes(proof); !hashes.ok()) return hashes;
  if (proof.empty()) return Rejected("the consistency proof is empty");

  // A first tree that is a perfect subtree is its own first proof node.
  std::vector<absl::string_view> path;
  path.reserve(proof.size() + 1);
  const bool perfect = (size1 & (size1 - 1)) == 0;
  if (perfect) path.push_back(root1);
  for (const std::string& p : proof) path.push_back(p);

  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr(path[0]);
  std::string sr(path[0]);
  for (size_t i = 1; i < path.size(); ++i) {
    if (sn == 0) {
      return Rejected(absl::StrCat("the consistency proof has more than the ",
                                   "hashes trees of ", size1, " and ", size2,
                                   " need"));
    }
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(path[i], fr);
      sr = NodeHash(path[i], sr);
      ShiftToSetBit(fn, sn);
    } else {
      sr = NodeHash(sr, path[i]);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Rejected(absl::StrCat("the consistency proof has fewer hashes ",
                                 "than trees of ", size1, " and ", size2,
                                 " need"));
  }
  if (fr != root1) {
    return Rejected(absl::StrCat("the proof does not lead to the root of the ",
                                 "tree of ", size1, " leaves"));
  }
  if (sr != root2) {
    return Rejected(absl::StrCat("the tree of ", size1,
                                 " leaves is not a prefix of the tree of ",
                                 size2, " leaves"));
  }
  return absl::OkStatus();
}

}  // namespace riskledger::audit
