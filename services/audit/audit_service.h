// The gRPC adapter of riskledger.v1.AuditService (callback API). Reads answer
// on gRPC's thread; VerifyLog (a scan of the whole log) and CreateCheckpoint
// (a synced write) run on the service's own workers, so no gRPC thread waits
// on them.
#ifndef RISKLEDGER_SERVICES_AUDIT_AUDIT_SERVICE_H_
#define RISKLEDGER_SERVICES_AUDIT_AUDIT_SERVICE_H_

#include <atomic>
#include <memory>

#include "riskledger/v1/audit_service.grpc.pb.h"
#include "services/audit/audit_handlers.h"
#include "storage/executor.h"

namespace riskledger::auditing {

// Thread-safe.
class AuditService final : public v1::AuditService::CallbackService {
 public:
  // `handlers` must outlive the service. Destruction waits for the work
  // running on its workers.
  explicit AuditService(const AuditHandlers& handlers);

  grpc::ServerUnaryReactor* ListAuditEntries(grpc::CallbackServerContext* context,
      const v1::ListAuditEntriesRequest* request, v1::ListAuditEntriesResponse* response) override;
  grpc::ServerUnaryReactor* GetCheckpoint(grpc::CallbackServerContext* context,
      const v1::GetCheckpointRequest* request, v1::Checkpoint* response) override;
  grpc::ServerUnaryReactor* CreateCheckpoint(grpc::CallbackServerContext* context,
      const v1::CreateCheckpointRequest* request, v1::Checkpoint* response) override;
  grpc::ServerUnaryReactor* GetInclusionProof(grpc::CallbackServerContext* context,
      const v1::GetInclusionProofRequest* request, v1::InclusionProof* response) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(grpc::CallbackServerContext* context,
      const v1::GetConsistencyProofRequest* request, v1::ConsistencyProof* response) override;
  grpc::ServerUnaryReactor* ListVerifierKeys(grpc::CallbackServerContext* context,
      const v1::ListVerifierKeysRequest* request, v1::ListVerifierKeysResponse* response) override;
  grpc::ServerUnaryReactor* VerifyLog(grpc::CallbackServerContext* context,
      const v1::VerifyLogRequest* request, v1::VerifyLogResponse* response) override;
  grpc::ServerWriteReactor<v1::EvidenceRecord>* ExportEvidence(
      grpc::CallbackServerContext* context,
      const v1::ExportEvidenceRequest* request) override;

 private:
  const AuditHandlers& handlers_;
  // One verification of the whole log at a time; another meanwhile is
  // ABORTED (each costs a full scan: queueing them would let a client
  // occupy the disk indefinitely).
  std::atomic<bool> verifying_{false};
  // Likewise one export at a time (each reads the whole log).
  std::atomic<bool> exporting_{false};
  // Checkpoints (quick, one at a time inside the checkpointer) and the
  // verification run on separate threads, so that neither waits for the
  // other.
  std::unique_ptr<storage::Executor> checkpoint_worker_;
  std::unique_ptr<storage::Executor> verify_worker_;
  std::unique_ptr<storage::Executor> export_worker_;
};

}  // namespace riskledger::auditing

#endif  // RISKLEDGER_SERVICES_AUDIT_AUDIT_SERVICE_H_
