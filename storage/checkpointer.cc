// Checkpointer: verify the previous checkpoint and the consistency proof to
// the durable tree, then sign.
#include "storage/checkpointer.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "storage/audit/checkpoint.h"
#include "storage/audit/proof_verifier.h"

namespace riskledger::storage {

Checkpointer::Checkpointer(AuditLog& log, audit::NoteSigner signer,
                           std::vector<audit::NoteVerifier> verifiers)
    : log_(log), signer_(std::move(signer)), verifiers_(std::move(verifiers)) {}

absl::StatusOr<StoredCheckpoint> Checkpointer::Checkpoint(absl::Time now) {
  absl::MutexLock lock(&mu_);
  const TreeHead tree = log_.DurableTree();
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest,
                   log_.LatestCheckpoint());
  if (latest.has_value() && latest->size == tree.size) return *latest;
  if (tree.root.empty()) {
    // Say where, when the start-up check (or a VerifyLog) found it.
    const absl::Status fault = log_.integrity_fault();
    return absl::DataLossError(absl::StrCat(
        "the stored Merkle tree is damaged: no checkpoint can be signed",
        fault.ok() ? "" : absl::StrCat(" (", fault.message(), ")")));
  }
  if (tree.size == 0) {
    return absl::FailedPreconditionError(
        "the log is empty: there is nothing to checkpoint yet");
  }
  if (latest.has_value()) {
    absl::Status consistent = [&]() -> absl::Status {
      ASSIGN_OR_RETURN(std::string text,
                       audit::OpenNote(latest->note, verifiers_));
      ASSIGN_OR_RETURN(audit::Checkpoint previous, audit::ParseCheckpoint(text));
      if (previous.size != static_cast<uint64_t>(latest->size) ||
          latest->size > tree.size) {
        return absl::DataLossError(absl::StrCat(
            "the latest checkpoint covers ", previous.size,
            " entries, the log has ", tree.size));
      }
      ASSIGN_OR_RETURN(std::vector<std::string> proof,
                       log_.ConsistencyProof(latest->size, tree.size));
      return audit::VerifyConsistency(previous.size,
                                      static_cast<uint64_t>(tree.size), proof,
                                      previous.root_hash, tree.root);
    }();
    if (!consistent.ok()) {
      absl::Status refused = absl::DataLossError(absl::StrCat(
          "refusing to sign a checkpoint of ", tree.size,
          " entries: the log is not consistent with its checkpoint of ",
          latest->size, " entries: ", consistent.message()));
      log_.RefuseWrites(refused);
      return refused;
    }
  }
  audit::Checkpoint checkpoint{signer_.verifier().name,
                               static_cast<uint64_t>(tree.size),
                               tree.root,
                               {audit::TimeExtension(now)}};
  ASSIGN_OR_RETURN(std::string note,
                   signer_.Sign(audit::FormatCheckpoint(checkpoint)));
  StoredCheckpoint stored{tree.size, std::move(note)};
  RETURN_IF_ERROR(log_.SaveCheckpoint(stored));
  return stored;
}

}  // namespace riskledger::storage
