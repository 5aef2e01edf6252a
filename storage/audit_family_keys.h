// Keys of the audit column family (column_families.h). A one-byte tag
// separates the kinds; integers are big-endian so that keys sort
// numerically.
#ifndef RISKLEDGER_STORAGE_AUDIT_FAMILY_KEYS_H_
#define RISKLEDGER_STORAGE_AUDIT_FAMILY_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "storage/audit/merkle_hash.h"
#include "storage/event_codec.h"

namespace riskledger::storage {

// 'n' level(1 byte) index(8 bytes) -> 32-byte hash of that perfect subtree.
inline constexpr char kTreeNodeTag = 'n';
// 'c' size(8 bytes) -> signed checkpoint note of the tree of that size.
inline constexpr char kCheckpointTag = 'c';
// 'k' verifier key string -> 8-byte time it was added (microseconds).
inline constexpr char kVerifierKeyTag = 'k';
// The log's origin.
inline constexpr char kOriginKey[] = "o";

inline std::string TreeNodeKey(audit::NodeId node) {
  return absl::StrCat(std::string(1, kTreeNodeTag),
                      std::string(1, static_cast<char>(node.level)),
                      EncodeKeyU64(node.index));
}

inline std::string CheckpointKey(int64_t size) {
  return absl::StrCat(std::string(1, kCheckpointTag),
                      EncodeKeyU64(static_cast<uint64_t>(size)));
}

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_AUDIT_FAMILY_KEYS_H_
