// Makes signed checkpoints of the log (C2SP tlog-checkpoint, Ed25519 signed
// note), each only after proving the log consistent with the previous one:
// a rewritten history is never signed over (M14).
#ifndef RISKLEDGER_STORAGE_CHECKPOINTER_H_
#define RISKLEDGER_STORAGE_CHECKPOINTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/audit/signed_note.h"
#include "storage/audit_log.h"

namespace riskledger::storage {

// Thread-safe; checkpoints are made one at a time. `log` must outlive it.
class Checkpointer {
 public:
  // `signer`'s name is the log's origin. `verifiers` are the keys that may
  // have signed earlier checkpoints (the signer's own included).
  Checkpointer(AuditLog& log, audit::NoteSigner signer,
               std::vector<audit::NoteVerifier> verifiers);

  // The latest checkpoint, after signing and storing one of the durable
  // tree if the latest does not cover it yet. FAILED_PRECONDITION for an
  // empty log; DATA_LOSS (and the log refuses writes from then on) when the
  // previous checkpoint is not valid or the log is not consistent with it.
  absl::StatusOr<StoredCheckpoint> Checkpoint(absl::Time now);

  const audit::NoteSigner& signer() const { return signer_; }

 private:
  AuditLog& log_;
  const audit::NoteSigner signer_;
  const std::vector<audit::NoteVerifier> verifiers_;
  absl::Mutex mu_;
};

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_CHECKPOINTER_H_
