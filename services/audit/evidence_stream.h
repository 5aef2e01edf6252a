// The server-streaming call of ExportEvidence: a producer on a worker thread
// hands records to the stream one at a time and waits (on its own thread,
// never gRPC's) until gRPC has written each, so the bundle is never held in
// memory and a slow client slows only its export.
#ifndef RISKLEDGER_SERVICES_AUDIT_EVIDENCE_STREAM_H_
#define RISKLEDGER_SERVICES_AUDIT_EVIDENCE_STREAM_H_

#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "riskledger/v1/audit_service.pb.h"
#include "services/audit/audit_handlers.h"

namespace riskledger::auditing {

// Deletes itself when gRPC is done with it.
class EvidenceStream final
    : public grpc::ServerWriteReactor<v1::EvidenceRecord> {
 public:
  // A stream finished at once with `status`.
  static EvidenceStream* Refused(const absl::Status& status);

  // Runs `produce` (on the caller's thread) with a sink that writes each
  // record and returns once the last write is done, with the status to
  // Finish the call with: CANCELLED once the client went away, INTERNAL if
  // `produce` threw. Call once, then Finish.
  grpc::Status Produce(
      const std::function<absl::Status(const EvidenceSink&)>& produce);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override { delete this; }

 private:
  // Writes `record` once the previous write is done; CANCELLED when the
  // client went away.
  absl::Status Write(v1::EvidenceRecord record);
  bool MayWrite() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !writing_ || broken_;
  }

  absl::Mutex mu_;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  // The record being written; gRPC reads it until OnWriteDone.
  v1::EvidenceRecord record_;
};

}  // namespace riskledger::auditing

#endif  // RISKLEDGER_SERVICES_AUDIT_EVIDENCE_STREAM_H_
