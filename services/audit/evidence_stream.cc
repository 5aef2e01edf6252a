#include "services/audit/evidence_stream.h"

#include <utility>

#include "services/common/call_guard.h"
#include "services/common/grpc_status.h"

namespace riskledger::auditing {

EvidenceStream* EvidenceStream::Refused(const absl::Status& status) {
  auto* stream = new EvidenceStream();
  stream->Finish(ToGrpcStatus(status));
  return stream;
}

grpc::Status EvidenceStream::Produce(
    const std::function<absl::Status(const EvidenceSink&)>& produce) {
  grpc::Status status = GuardCall("ExportEvidence", [&] {
    const EvidenceSink sink = [this](v1::EvidenceRecord record) {
      return Write(std::move(record));
    };
    return ToGrpcStatus(produce(sink));
  });
  // The last write must be done before Finish.
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](bool* writing) { return !*writing; }, &writing_));
  if (broken_) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
  return status;
}

absl::Status EvidenceStream::Write(v1::EvidenceRecord record) {
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &EvidenceStream::MayWrite));
    if (broken_) {
      return absl::CancelledError("the client stopped reading the export");
    }
    writing_ = true;
  }
  // gRPC reads the previous record no more (its write is done), and may
  // call OnWriteDone from within StartWrite: no lock is held here.
  record_ = std::move(record);
  StartWrite(&record_);
  return absl::OkStatus();
}

void EvidenceStream::OnWriteDone(bool ok) {
  absl::MutexLock lock(&mu_);
  writing_ = false;
  if (!ok) broken_ = true;
}

void EvidenceStream::OnCancel() {
  absl::MutexLock lock(&mu_);
  broken_ = true;
}

}  // namespace riskledger::auditing
