// Keys of the audit column family (column_families.h). A one-byte tag
// separates the kinds; integers are big-endian so that keys sort
// numerically.
#ifndef RISKLEDGER_STORAGE_AUDIT_FAMILY_KEYS_H_
#define RISKLEDGER_STORAGE_AUDIT_FAMILY_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "storage/audit/merkle_tiles.h"
#include "storage/event_codec.h"

namespace riskledger::storage {

// 't' row(1 byte) index(8 bytes) -> the hashes of that tile of the Merkle
// tree (storage/audit/merkle_tiles.h), 32 bytes each, 1 to 16 of them.
inline constexpr char kTreeTileTag = 't';
// 'c' size(8 bytes) -> signed checkpoint note of the tree of that size.
inline constexpr char kCheckpointTag = 'c';
// 'k' verifier key string -> 8-byte time it was added (microseconds).
inline constexpr char kVerifierKeyTag = 'k';
// The log's origin.
inline constexpr char kOriginKey[] = "o";

inline std::string TreeTileKey(audit::TileId tile) {
  return absl::StrCat(std::string(1, kTreeTileTag),
                      std::string(1, static_cast<char>(tile.row)),
                      EncodeKeyU64(tile.index));
}

inline std::string CheckpointKey(int64_t size) {
  return absl::StrCat(std::string(1, kCheckpointTag),
                      EncodeKeyU64(static_cast<uint64_t>(size)));
}

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_AUDIT_FAMILY_KEYS_H_
