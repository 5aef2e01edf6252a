// Fuzzes the list filter parser. Properties: accepted filters name only
// allowed fields, and every error is INVALID_ARGUMENT naming "filter" with a
// bounded message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/base/status_details.h"
#include "services/common/list_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;  // NOLINT(google-build-using-namespace)
  static const std::set<std::string>* const kFields =
      new std::set<std::string>{"asset", "owner", "status", "band"};
  const std::string input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<EqualityFilter> filter = ParseEqualityFilter(input, *kFields);
  if (filter.ok()) {
    for (const auto& [field, value] : *filter) {
      if (kFields->count(field) == 0) std::abort();
    }
    return 0;
  }
  const std::vector<FieldViolation> violations =
      FieldViolationsOf(filter.status());
  if (filter.status().code() != absl::StatusCode::kInvalidArgument ||
      violations.size() != 1 || violations[0].field != "filter" ||
      filter.status().message().size() > kMaxErrorMessageBytes) {
    std::abort();
  }
  return 0;
}
