// Page tokens: web-safe base64 of a query fingerprint and a resume key.
#include "services/common/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "storage/event_codec.h"

namespace riskledger {
namespace {

constexpr size_t kFingerprintSize = 8;

// First bytes of SHA-256(query): stable across processes and restarts.
std::string Fingerprint(absl::string_view query) {
  return storage::Sha256(query).substr(0, kFingerprintSize);
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

std::string EncodePageToken(absl::string_view query,
                            absl::string_view resume_key) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(Fingerprint(query), resume_key));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view query) {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) ||
      raw.size() <= kFingerprintSize) {
    return InvalidFieldError("page_token",
                             "is not a token this service issued");
  }
  if (raw.substr(0, kFingerprintSize) != Fingerprint(query)) {
    return InvalidFieldError(
        "page_token", "was issued for a different parent, filter or order_by");
  }
  return raw.substr(kFingerprintSize);
}

}  // namespace riskledger
