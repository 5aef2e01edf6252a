// Merkle tree hashing of RFC 6962 / RFC 9162 section 2.1 over the log: the
// tree whose signed root lets anyone check an entry's presence (inclusion
// proof) and that history was only appended to (consistency proof). M14.
#ifndef RISKLEDGER_STORAGE_AUDIT_MERKLE_HASH_H_
#define RISKLEDGER_STORAGE_AUDIT_MERKLE_HASH_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace riskledger::audit {

// A perfect subtree: the 2^level leaves from index * 2^level on. Level 0 is
// a leaf. Every such node of a tree is final once its last leaf exists.
struct NodeId {
  int level = 0;
  uint64_t index = 0;

  friend bool operator==(const NodeId& a, const NodeId& b) {
    return a.level == b.level && a.index == b.index;
  }
};

// SHA-256(0x00 ‖ leaf): the hash of a leaf holding `leaf` (a stored entry).
std::string LeafHash(absl::string_view leaf);

// SHA-256(0x01 ‖ left ‖ right): the hash of an interior node.
std::string NodeHash(absl::string_view left, absl::string_view right);

// The root of the empty tree: SHA-256 of no bytes.
const std::string& EmptyTreeRoot();

// The largest power of two strictly below `n` (n >= 2): where RFC 6962
// splits a tree of n leaves into its left and right subtrees.
uint64_t SplitPoint(uint64_t n);

}  // namespace riskledger::audit

#endif  // RISKLEDGER_STORAGE_AUDIT_MERKLE_HASH_H_
