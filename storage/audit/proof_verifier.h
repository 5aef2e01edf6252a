// Checks RFC 9162 inclusion and consistency proofs (sections 2.1.3.2 and
// 2.1.4.2): the client and auditor side, with no access to the tree.
#ifndef RISKLEDGER_STORAGE_AUDIT_PROOF_VERIFIER_H_
#define RISKLEDGER_STORAGE_AUDIT_PROOF_VERIFIER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace riskledger::audit {

// OK when `proof` shows that the leaf with `leaf_hash` is leaf `index` of the
// tree of `size` leaves whose root is `root`; DATA_LOSS saying why not
// (malformed proofs and hashes included).
absl::Status VerifyInclusion(uint64_t index, uint64_t size,
                             absl::string_view leaf_hash,
                             const std::vector<std::string>& proof,
                             absl::string_view root);

// OK when `proof` shows that the tree of `size1` leaves with root `root1` is
// a prefix of the tree of `size2` leaves with root `root2`: history was only
// appended to. DATA_LOSS saying why not, and for size1 == 0 (every tree
// extends the empty one; RFC 9162 defines no proof for it).
absl::Status VerifyConsistency(uint64_t size1, uint64_t size2,
                               const std::vector<std::string>& proof,
                               absl::string_view root1,
                               absl::string_view root2);

}  // namespace riskledger::audit

#endif  // RISKLEDGER_STORAGE_AUDIT_PROOF_VERIFIER_H_
