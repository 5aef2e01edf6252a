// AuditService methods: request in, handler's answer out, nothing else.
#include "services/audit/audit_service.h"

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "services/audit/evidence_stream.h"
#include "services/common/unary_answers.h"

namespace riskledger::auditing {

AuditService::AuditService(const AuditHandlers& handlers)
    : handlers_(handlers),
      checkpoint_worker_(storage::NewThreadPoolExecutor(1)),
      verify_worker_(storage::NewThreadPoolExecutor(1)),
      export_worker_(storage::NewThreadPoolExecutor(1)) {}

grpc::ServerUnaryReactor* AuditService::ListAuditEntries(
    grpc::CallbackServerContext* context, const v1::ListAuditEntriesRequest* request,
    v1::ListAuditEntriesResponse* response) {
  return AnswerNow(context, "ListAuditEntries", response,
                   [&] { return handlers_.ListAuditEntries(*request); });
}

grpc::ServerUnaryReactor* AuditService::GetCheckpoint(
    grpc::CallbackServerContext* context, const v1::GetCheckpointRequest* request,
    v1::Checkpoint* response) {
  return AnswerNow(context, "GetCheckpoint", response,
                   [&] { return handlers_.GetCheckpoint(*request); });
}

grpc::ServerUnaryReactor* AuditService::CreateCheckpoint(
    grpc::CallbackServerContext* context, const v1::CreateCheckpointRequest* request,
    v1::Checkpoint* response) {
  return AnswerOnWorker(context, *checkpoint_worker_, "CreateCheckpoint", response,
                        [this, request] { return handlers_.CreateCheckpoint(*request); });
}

grpc::ServerUnaryReactor* AuditService::GetInclusionProof(
    grpc::CallbackServerContext* context, const v1::GetInclusionProofRequest* request,
    v1::InclusionProof* response) {
  return AnswerNow(context, "GetInclusionProof", response,
                   [&] { return handlers_.GetInclusionProof(*request); });
}

grpc::ServerUnaryReactor* AuditService::GetConsistencyProof(
    grpc::CallbackServerContext* context, const v1::GetConsistencyProofRequest* request,
    v1::ConsistencyProof* response) {
  return AnswerNow(context, "GetConsistencyProof", response,
                   [&] { return handlers_.GetConsistencyProof(*request); });
}

grpc::ServerUnaryReactor* AuditService::ListVerifierKeys(
    grpc::CallbackServerContext* context, const v1::ListVerifierKeysRequest* request,
    v1::ListVerifierKeysResponse* response) {
  return AnswerNow(context, "ListVerifierKeys", response,
                   [&] { return handlers_.ListVerifierKeys(*request); });
}

grpc::ServerUnaryReactor* AuditService::VerifyLog(
    grpc::CallbackServerContext* context, const v1::VerifyLogRequest* request,
    v1::VerifyLogResponse* response) {
  if (verifying_.exchange(true)) {
    return AnswerNow(context, "VerifyLog", response, [] {
      return absl::StatusOr<v1::VerifyLogResponse>(absl::AbortedError(
          "a verification of the log is already running; retry once it has "
          "finished"));
    });
  }
  return AnswerOnWorker(context, *verify_worker_, "VerifyLog", response,
                        [this, request] {
                          absl::Cleanup done = [this] { verifying_ = false; };
                          return handlers_.VerifyLog(*request);
                        });
}

grpc::ServerWriteReactor<v1::EvidenceRecord>* AuditService::ExportEvidence(
    grpc::CallbackServerContext* /*context*/,
    const v1::ExportEvidenceRequest* request) {
  if (absl::Status bad = AuditHandlers::CheckExportRequest(*request);
      !bad.ok()) {
    return EvidenceStream::Refused(bad);
  }
  if (exporting_.exchange(true)) {
    return EvidenceStream::Refused(absl::AbortedError(
        "an evidence export is already running; retry once it has finished"));
  }
  auto* stream = new EvidenceStream();  // deletes itself in OnDone
  export_worker_->Schedule([this, stream, request] {
    const grpc::Status status = stream->Produce([&](const EvidenceSink& emit) {
      return handlers_.ExportEvidence(*request, emit);
    });
    // Free before Finish: a client that starts its next export as soon as
    // this one ends must not find the slot still taken.
    exporting_ = false;
    stream->Finish(status);
  });
  return stream;
}

}  // namespace riskledger::auditing
