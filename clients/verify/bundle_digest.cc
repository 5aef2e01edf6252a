#include "clients/verify/bundle_digest.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "storage/audit/sha256.h"

namespace riskledger::verify {

void BundleDigest::Add(const v1::EvidenceRecord& record) {
  digest_ = audit::Sha256Concat(
      {digest_, audit::Sha256(record.SerializeAsString())});
}

std::string BundleNoteText(absl::string_view origin, absl::string_view digest) {
  return absl::StrCat("riskledger evidence bundle 1\n", origin, "\n",
                      absl::Base64Escape(digest), "\n");
}

}  // namespace riskledger::verify
