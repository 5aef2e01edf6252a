// Fuzzes the offline verifier's inputs: bundle framing, then verification of
// whatever parses (signed notes, checkpoints, verifier keys, entries,
// proofs, a kept checkpoint's consistency proof). Neither may crash, hang or
// read out of bounds.
#include <cstddef>
#include <cstdint>

#include "clients/verify/evidence_bundle.h"
#include "clients/verify/evidence_verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<std::vector<riskledger::v1::EvidenceRecord>> records =
      riskledger::verify::ParseBundle(
          absl::string_view(reinterpret_cast<const char*>(data), size));
  if (records.ok()) {
    (void)riskledger::verify::VerifyBundle(*records, {});
    // The kept-checkpoint path too (key pinning, rollback, consistency
    // proof), with the bundle's own checkpoint note as the kept one.
    if (!records->empty() && records->front().has_header()) {
      riskledger::verify::VerifyOptions options;
      options.kept_checkpoint =
          records->front().header().checkpoint().signed_note();
      (void)riskledger::verify::VerifyBundle(*records, options);
    }
  }
  return 0;
}
