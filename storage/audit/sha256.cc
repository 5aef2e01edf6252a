// SHA-256 through OpenSSL's EVP interface.
#include "storage/audit/sha256.h"

#include <openssl/evp.h>

#include <memory>

namespace riskledger::audit {

std::string Sha256(absl::string_view data) { return Sha256Concat({data}); }

std::string Sha256Concat(std::initializer_list<absl::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // These calls only fail on allocation failure, which the process cannot
  // survive anyway; an empty result fails every hash comparison loudly.
  if (context == nullptr ||
      EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    return std::string();
  }
  for (absl::string_view part : parts) {
    if (EVP_DigestUpdate(context.get(), part.data(), part.size()) != 1) {
      return std::string();
    }
  }
  if (EVP_DigestFinal_ex(context.get(), digest, &size) != 1) {
    return std::string();
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace riskledger::audit
