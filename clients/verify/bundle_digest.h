// The digest an evidence bundle's trailer signs (docs/EVIDENCE_BUNDLE.md): a
// hash chain over the records before the trailer, and the signed note's
// text. Shared by the server that signs it and the verifier that checks it.
#ifndef RISKLEDGER_CLIENTS_VERIFY_BUNDLE_DIGEST_H_
#define RISKLEDGER_CLIENTS_VERIFY_BUNDLE_DIGEST_H_

#include <string>

#include "absl/strings/string_view.h"
#include "riskledger/v1/audit_service.pb.h"

namespace riskledger::verify {

class BundleDigest {
 public:
  // d = SHA-256(d ‖ SHA-256(serialized record)).
  void Add(const v1::EvidenceRecord& record);
  const std::string& digest() const { return digest_; }

 private:
  std::string digest_ = std::string(32, '\0');
};

// "riskledger evidence bundle 1\n<origin>\n<base64 digest>\n".
std::string BundleNoteText(absl::string_view origin, absl::string_view digest);

}  // namespace riskledger::verify

#endif  // RISKLEDGER_CLIENTS_VERIFY_BUNDLE_DIGEST_H_
