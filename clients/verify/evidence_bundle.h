// The evidence bundle file (docs/EVIDENCE_BUNDLE.md): the records of
// AuditService.ExportEvidence, each preceded by its length as a varint (the
// protobuf "delimited" framing).
#ifndef RISKLEDGER_CLIENTS_VERIFY_EVIDENCE_BUNDLE_H_
#define RISKLEDGER_CLIENTS_VERIFY_EVIDENCE_BUNDLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "riskledger/v1/audit_service.pb.h"

namespace riskledger::verify {

// Largest record accepted (an entry is far smaller: requests are capped at
// a few MiB).
inline constexpr size_t kMaxRecordBytes = size_t{16} << 20;

// `record` framed for a bundle file.
std::string FrameRecord(const v1::EvidenceRecord& record);

// The records of a bundle file. DATA_LOSS naming the record (1-based) and
// byte offset of a malformed length, a record beyond kMaxRecordBytes or the
// end of the file, or a record that does not parse.
absl::StatusOr<std::vector<v1::EvidenceRecord>> ParseBundle(
    absl::string_view bytes);

}  // namespace riskledger::verify

#endif  // RISKLEDGER_CLIENTS_VERIFY_EVIDENCE_BUNDLE_H_
