// Offline verification of an evidence bundle (M14), without the server and
// without trusting its operator: the checkpoint's signature, every entry's
// hash, chain links and inclusion proof, that every entry is in the declared
// scope, that each resource's entries are complete (stream versions
// contiguous, ending where the register says the resource is), and that the
// register agrees with its entries. The library behind riskledger-verify;
// clients link it to check bundles themselves.
#ifndef RISKLEDGER_CLIENTS_VERIFY_EVIDENCE_VERIFIER_H_
#define RISKLEDGER_CLIENTS_VERIFY_EVIDENCE_VERIFIER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "riskledger/v1/audit_service.pb.h"

namespace riskledger::verify {

struct VerifyOptions {
  // Verifier keys ("<name>+<hash>+<key>") the auditor trusts. Empty: the
  // bundle's own keys (which proves integrity against those keys only; the
  // summary says so).
  std::vector<std::string> trusted_keys;
  // A checkpoint (signed note) the auditor kept from earlier; empty: none.
  // The bundle must then extend it: a kept checkpoint larger than the
  // bundle's shows a rollback, one the bundle's consistency proof does not
  // link to shows rewritten history.
  std::string kept_checkpoint;
};

struct BundleSummary {
  std::string origin;
  int64_t tree_size = 0;
  int64_t entries = 0;
  int64_t register_records = 0;
  int64_t resources = 0;
  bool keys_from_bundle = false;
  // The kept checkpoint's tree size the bundle was proven to extend (0:
  // none was given).
  int64_t extends_tree_size = 0;
};

// OK with a summary, or DATA_LOSS naming the first failure (record number
// and, for entries, log position).
absl::StatusOr<BundleSummary> VerifyBundle(
    const std::vector<v1::EvidenceRecord>& records,
    const VerifyOptions& options);

}  // namespace riskledger::verify

#endif  // RISKLEDGER_CLIENTS_VERIFY_EVIDENCE_VERIFIER_H_
