// SHA-256 through OpenSSL's EVP interface. The algorithm is fetched once
// and each thread reuses one digest context: with OpenSSL 3, EVP_sha256()
// in every EVP_DigestInit_ex means an implicit fetch from the provider,
// and a fresh context an allocation and a cleanse, which together cost
// more than hashing a log entry (docs/PERFORMANCE.md).
#include "storage/audit/sha256.h"

#include <openssl/evp.h>

#include <memory>

namespace riskledger::audit {
namespace {

const EVP_MD* Sha256Algorithm() {
  // Never freed: used until the process ends.
  static const EVP_MD* const kAlgorithm = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return kAlgorithm;
}

// Null only while allocation fails; tried again on the next hash.
EVP_MD_CTX* ThreadContext() {
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>
      context(nullptr, &EVP_MD_CTX_free);
  if (context == nullptr) context.reset(EVP_MD_CTX_new());
  return context.get();
}

}  // namespace

std::string Sha256(absl::string_view data) { return Sha256Concat({data}); }

std::string Sha256Concat(std::initializer_list<absl::string_view> parts) {
  EVP_MD_CTX* context = ThreadContext();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // These calls only fail on allocation failure, which the process cannot
  // survive anyway; an empty result fails every hash comparison loudly.
  if (context == nullptr ||
      EVP_DigestInit_ex(context, Sha256Algorithm(), nullptr) != 1) {
    return std::string();
  }
  for (absl::string_view part : parts) {
    if (EVP_DigestUpdate(context, part.data(), part.size()) != 1) {
      return std::string();
    }
  }
  if (EVP_DigestFinal_ex(context, digest, &size) != 1) {
    return std::string();
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace riskledger::audit
