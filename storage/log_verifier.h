// Server-side verification of the whole audit trail (M14): the hash chain,
// the Merkle tree recomputed from the entries and compared with the stored
// one, and the signed checkpoints. Replaces the chain-only check.
#ifndef RISKLEDGER_STORAGE_LOG_VERIFIER_H_
#define RISKLEDGER_STORAGE_LOG_VERIFIER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/audit/signed_note.h"
#include "storage/audit_log.h"
#include "storage/event_store.h"

namespace riskledger::storage {

// What a verification covered.
struct LogVerification {
  // First and last position checked entry by entry (first > last when the
  // log had nothing to check).
  int64_t first_position = 1;
  ChainHead head;
  // The recomputed tree over the whole log.
  TreeHead tree;
  // Signed checkpoints whose signature and root were checked.
  int64_t checkpoints = 0;
};

// Recomputes everything from position 1 to the durable head: every entry
// decodes, positions are contiguous, each prev_hash is the previous hash,
// each hash is SHA-256 of its body, every stream's versions run 1, 2, 3…,
// every stored tree node equals the recomputed one, and every stored
// checkpoint is signed by one of `verifiers` and has the recomputed root at
// its size (a checkpoint beyond the log means entries were removed).
// DATA_LOSS naming the first bad position (or checkpoint) otherwise.
absl::StatusOr<LogVerification> VerifyLog(
    AuditLog& log, const std::vector<audit::NoteVerifier>& verifiers);

// The start-up check: the latest checkpoint (signature, and its root equals
// the stored tree's root at its size) and every entry after it, as VerifyLog
// checks them (stream versions excepted). Without a checkpoint, VerifyLog.
// Its cost is proportional to the entries written since the checkpoint.
absl::StatusOr<LogVerification> VerifySinceLatestCheckpoint(
    AuditLog& log, const std::vector<audit::NoteVerifier>& verifiers);

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_LOG_VERIFIER_H_
