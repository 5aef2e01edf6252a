// RFC 6962 leaf and node hashes.
#include "storage/audit/merkle_hash.h"

#include "storage/audit/sha256.h"

namespace riskledger::audit {

std::string LeafHash(absl::string_view leaf) {
  return Sha256Concat({absl::string_view("\x00", 1), leaf});
}

std::string NodeHash(absl::string_view left, absl::string_view right) {
  return Sha256Concat({absl::string_view("\x01", 1), left, right});
}

const std::string& EmptyTreeRoot() {
  static const std::string* const kRoot = new std::string(Sha256(""));
  return *kRoot;
}

uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k < n - k) k <<= 1;  // k < n/2 without overflow: k doubles below n
  return k;
}

}  // namespace riskledger::audit
