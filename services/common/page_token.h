// Pagination (AIP-158): page sizes, and opaque page tokens bound to their
// query by a keyed MAC, so that a client can neither forge a resume position
// nor replay a token against another tenant, filter or order.
#ifndef RISKLEDGER_SERVICES_COMMON_PAGE_TOKEN_H_
#define RISKLEDGER_SERVICES_COMMON_PAGE_TOKEN_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/base/status_details.h"

namespace riskledger {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;
// A list page stops before the item that would take its items past this many
// serialized bytes (AIP-158 allows short pages); the largest single resource
// is far smaller, so every page fits a client's default 4 MiB limit.
inline constexpr size_t kMaxPageBytes = size_t{2} * 1024 * 1024;
// Entries one list call examines at most, so that a filter matching little
// of a large tenant costs a bounded amount per call (the page may then be
// short, even empty, with a token to continue: AIP-158).
inline constexpr size_t kMaxExaminedPerPage = 10000;
// Longest resume key a token carries (keys are names or index keys of a few
// hundred bytes at most), and the longest token accepted: every token the
// server issues fits.
inline constexpr size_t kMaxResumeKeyBytes = 512;
inline constexpr size_t kMaxPageTokenLength = 1024;
static_assert((1 + kMaxResumeKeyBytes + 16 + 2) / 3 * 4 <= kMaxPageTokenLength);
// Size of the secret that keys page tokens.
inline constexpr size_t kPageTokenKeyBytes = 32;

// 0 → kDefaultPageSize; above kMaxPageSize → kMaxPageSize; negative → a
// violation of "page_size" (and kDefaultPageSize is returned).
int EffectivePageSize(int requested, FieldViolationCollector& violations);

// The bounds of one list page: at most `page_size` items, items of at most
// kMaxPageBytes together (a page always takes its first item), at most
// kMaxExaminedPerPage entries examined. Every list loop asks it, so that all
// lists end their pages by the same rules.
class PageBudget {
 public:
  explicit PageBudget(int page_size) : page_size_(page_size) {}

  // Counts one more entry about to be examined; false when this call has
  // examined enough (the page ends before that entry).
  bool Examine() {
    if (examined_ == kMaxExaminedPerPage) return false;
    ++examined_;
    return true;
  }

  // Whether an item of `bytes` serialized bytes still fits the page; counts
  // it when it does.
  bool Admit(size_t bytes) {
    if (items_ == page_size_ ||
        (items_ > 0 && bytes_ + bytes > kMaxPageBytes)) {
      return false;
    }
    ++items_;
    bytes_ += bytes;
    return true;
  }

 private:
  const int page_size_;
  int items_ = 0;
  size_t bytes_ = 0;
  size_t examined_ = 0;
};

// Issues and checks page tokens. A token is web-safe base64 (unpadded) of a
// format byte, the resume key and the first 16 bytes of
// HMAC-SHA256(key, format ‖ len(query) ‖ query ‖ resume key). Thread-safe
// (immutable). Tokens stay valid across restarts as long as the key does.
class PageTokenCodec {
 public:
  // `key` must hold kPageTokenKeyBytes secret bytes.
  explicit PageTokenCodec(std::string key);

  // A token that resumes after `resume_key` (at most kMaxResumeKeyBytes)
  // for the query described by `query` (tenant, filter, order: everything
  // that must not change between pages).
  // INTERNAL when the resume key is longer than kMaxResumeKeyBytes (the
  // server never makes one) or the MAC cannot be computed.
  absl::StatusOr<std::string> Encode(absl::string_view query,
                                     absl::string_view resume_key) const;

  // The resume key of `token` ("" for an empty token). INVALID_ARGUMENT
  // naming "page_token" when the token is longer than kMaxPageTokenLength,
  // malformed, altered, or issued for another query.
  absl::StatusOr<std::string> Decode(absl::string_view token,
                                     absl::string_view query) const;

 private:
  // The token's MAC; nullopt when OpenSSL fails (no token is then issued or
  // accepted).
  std::optional<std::string> Mac(absl::string_view query,
                                 absl::string_view resume_key) const;

  std::string key_;
};

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_PAGE_TOKEN_H_
