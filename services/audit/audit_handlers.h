// The AuditService use cases (M14): audit entries read straight from the
// log, checkpoints, proofs and verification of the Merkle tree over it.
// Independent of gRPC; audit_service.h adapts them.
#ifndef RISKLEDGER_SERVICES_AUDIT_AUDIT_HANDLERS_H_
#define RISKLEDGER_SERVICES_AUDIT_AUDIT_HANDLERS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "riskledger/v1/audit_service.pb.h"
#include "services/common/event_registry.h"
#include "services/common/page_token.h"
#include "storage/audit/signed_note.h"
#include "storage/audit_log.h"
#include "storage/checkpointer.h"
#include "storage/event_store.h"

namespace riskledger::auditing {

// Receives the records of an evidence bundle in order; an error (e.g. the
// client went away) stops the export.
using EvidenceSink = std::function<absl::Status(v1::EvidenceRecord record)>;

// Emits the register records (risks, then assets) of `tenant` as of log
// position `position` (>= 1), only those named in `resources` unless it is
// empty. Provided by the service that owns the register's read models.
using RegisterExport = std::function<absl::Status(
    const std::string& tenant, int64_t position,
    const std::vector<std::string>& resources, const EvidenceSink& emit)>;

// What the handlers read and sign with. Everything must outlive them.
struct AuditSources {
  // The log's entries (and streams) …
  storage::EventStore* store = nullptr;
  // … and its Merkle tree and checkpoints (the same store).
  storage::AuditLog* log = nullptr;
  const EventRegistry* registry = nullptr;
  storage::Checkpointer* checkpointer = nullptr;
  // The keys that may have signed the log's checkpoints.
  const std::vector<audit::NoteVerifier>* verifiers = nullptr;
  RegisterExport register_export;
};

// Thread-safe: handlers share only thread-safe sources and immutable data.
// Every method answers on the caller's thread; VerifyLog and
// CreateCheckpoint read the whole log or write, so callers run them off
// gRPC's threads.
class AuditHandlers {
 public:
  AuditHandlers(AuditSources sources, PageTokenCodec page_tokens,
                std::function<absl::Time()> clock);

  absl::StatusOr<v1::ListAuditEntriesResponse> ListAuditEntries(
      const v1::ListAuditEntriesRequest& request) const;

  absl::StatusOr<v1::Checkpoint> GetCheckpoint(
      const v1::GetCheckpointRequest& request) const;
  absl::StatusOr<v1::Checkpoint> CreateCheckpoint(
      const v1::CreateCheckpointRequest& request) const;
  absl::StatusOr<v1::InclusionProof> GetInclusionProof(
      const v1::GetInclusionProofRequest& request) const;
  absl::StatusOr<v1::ConsistencyProof> GetConsistencyProof(
      const v1::GetConsistencyProofRequest& request) const;
  absl::StatusOr<v1::ListVerifierKeysResponse> ListVerifierKeys(
      const v1::ListVerifierKeysRequest& request) const;
  absl::StatusOr<v1::VerifyLogResponse> VerifyLog(
      const v1::VerifyLogRequest& request) const;

  // INVALID_ARGUMENT naming every bad field of an export request: checked
  // before an export takes the server's one export slot, so a bad request is
  // refused as such even while another export runs.
  static absl::Status CheckExportRequest(
      const v1::ExportEvidenceRequest& request);
  // Makes a checkpoint of the whole log, then emits the bundle's records
  // (docs/EVIDENCE_BUNDLE.md). INVALID_ARGUMENT before any record for a bad
  // request.
  absl::Status ExportEvidence(const v1::ExportEvidenceRequest& request,
                              const EvidenceSink& emit) const;

 private:
  // A stored checkpoint as the API shows it, once its signature verifies
  // (DATA_LOSS otherwise: the server never hands out what it cannot check).
  absl::StatusOr<v1::Checkpoint> ToApi(
      const storage::StoredCheckpoint& stored) const;
  // The checkpoint of `tree_size` (0: the latest). NOT_FOUND when none was
  // made at that size.
  absl::StatusOr<v1::Checkpoint> CheckpointAt(int64_t tree_size) const;

  const AuditSources sources_;
  const PageTokenCodec page_tokens_;
  const std::function<absl::Time()> clock_;
};

}  // namespace riskledger::auditing

#endif  // RISKLEDGER_SERVICES_AUDIT_AUDIT_HANDLERS_H_
