// Page tokens: web-safe base64 of a format byte, a resume key and a MAC.
#include "services/common/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace riskledger {
namespace {

constexpr char kFormat = '\x01';
constexpr size_t kMacBytes = 16;

absl::Status NotIssued() {
  return InvalidFieldError(
      "page_token",
      "is not a token this service issued for this parent, filter and "
      "order_by; start again without a page_token");
}

// Appends `n` as 8 big-endian bytes, so that query and resume key cannot be
// confused however they split.
void AppendLength(uint64_t n, std::string& out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
}

}  // namespace

int EffectivePageSize(int requested, FieldViolationCollector& violations) {
  if (requested < 0) {
    violations.Add("page_size", "must not be negative");
    return kDefaultPageSize;
  }
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

PageTokenCodec::PageTokenCodec(std::string key) : key_(std::move(key)) {}

std::optional<std::string> PageTokenCodec::Mac(
    absl::string_view query, absl::string_view resume_key) const {
  std::string message(1, kFormat);
  AppendLength(query.size(), message);
  absl::StrAppend(&message, query, resume_key);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(message.data()),
           message.size(), mac, &mac_length) == nullptr ||
      mac_length < kMacBytes) {
    return std::nullopt;  // no token is issued or accepted without a MAC
  }
  return std::string(reinterpret_cast<const char*>(mac), kMacBytes);
}

absl::StatusOr<std::string> PageTokenCodec::Encode(
    absl::string_view query, absl::string_view resume_key) const {
  if (resume_key.size() > kMaxResumeKeyBytes) {
    return absl::InternalError(
        absl::StrCat("resume key of ", resume_key.size(),
                     " bytes is longer than a page token may carry"));
  }
  std::optional<std::string> mac = Mac(query, resume_key);
  if (!mac.has_value()) {
    return absl::InternalError("OpenSSL could not compute a page-token MAC");
  }
  return absl::WebSafeBase64Escape(
      absl::StrCat(absl::string_view(&kFormat, 1), resume_key, *mac));
}

absl::StatusOr<std::string> PageTokenCodec::Decode(
    absl::string_view token, absl::string_view query) const {
  if (token.empty()) return std::string();
  std::string raw;
  if (token.size() > kMaxPageTokenLength ||
      !absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 1 + kMacBytes ||
      raw.size() > 1 + kMaxResumeKeyBytes + kMacBytes || raw[0] != kFormat ||
      absl::WebSafeBase64Escape(raw) != token) {  // one spelling per token
    return NotIssued();
  }
  const absl::string_view body(raw);
  const absl::string_view resume_key =
      body.substr(1, body.size() - 1 - kMacBytes);
  const std::optional<std::string> expected = Mac(query, resume_key);
  if (!expected.has_value() ||
      CRYPTO_memcmp(expected->data(), body.data() + body.size() - kMacBytes,
                    kMacBytes) != 0) {
    return NotIssued();
  }
  return std::string(resume_key);
}

}  // namespace riskledger
