// SHA-256 (OpenSSL) for the log's hash chain, its Merkle tree and its keys.
#ifndef RISKLEDGER_STORAGE_AUDIT_SHA256_H_
#define RISKLEDGER_STORAGE_AUDIT_SHA256_H_

#include <cstddef>
#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"

namespace riskledger::audit {

// Size of a SHA-256 digest in bytes.
inline constexpr size_t kHashSize = 32;

// SHA-256 of `data` (32 raw bytes).
std::string Sha256(absl::string_view data);

// SHA-256 of the concatenation of `parts`, without building it.
std::string Sha256Concat(std::initializer_list<absl::string_view> parts);

}  // namespace riskledger::audit

#endif  // RISKLEDGER_STORAGE_AUDIT_SHA256_H_
