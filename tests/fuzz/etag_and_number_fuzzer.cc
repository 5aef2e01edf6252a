// Fuzzes the canonical decimal parser and etags. Property: whatever parses
// formats back to the same bytes, is positive, and leaves room for +1.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/canonical_number.h"
#include "services/common/etag.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;  // NOLINT(google-build-using-namespace)
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::optional<int64_t> number = ParseCanonicalPositive(input);
  if (number.has_value()) {
    if (*number < 1 || *number == std::numeric_limits<int64_t>::max() ||
        absl::StrCat(*number) != input) {
      std::abort();
    }
  }
  absl::StatusOr<int64_t> etag = ParseEtag(input, "etag");
  if (etag.ok() != number.has_value()) std::abort();
  if (etag.ok() && FormatEtag(*etag) != input) std::abort();
  absl::Status check = CheckEtag(input, "etag", "7");
  if (!check.ok() && check.code() != absl::StatusCode::kAborted &&
      check.code() != absl::StatusCode::kInvalidArgument) {
    std::abort();
  }
  return 0;
}
