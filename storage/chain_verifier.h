// Offline check of the whole log's hash chain: the evidence that no entry was
// changed, removed, reordered or inserted (M14).
#ifndef RISKLEDGER_STORAGE_CHAIN_VERIFIER_H_
#define RISKLEDGER_STORAGE_CHAIN_VERIFIER_H_

#include "absl/status/statusor.h"
#include "storage/event_store.h"

namespace riskledger::storage {

// Reads the log from position 1 and checks that positions are contiguous,
// every entry's hash is the SHA-256 of its body, every prev_hash is the
// previous entry's hash, and every stream's versions run 1, 2, 3 … without a
// gap or repeat. Returns the verified head; DATA_LOSS naming the first broken
// position otherwise.
absl::StatusOr<ChainHead> VerifyChain(EventStore& store);

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_CHAIN_VERIFIER_H_
