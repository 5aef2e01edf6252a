// Formatting and checking of M3 risk ids.
#include "services/domain/risk_id.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace riskledger {
namespace domain {
namespace {

constexpr char kPrefix[] = "R-";
constexpr char kSeparator = '-';
constexpr int kYearDigits = 4;
constexpr int kMinSequenceDigits = 4;
// Every valid sequence fits in int64_t, and so does the next one.
constexpr int kMaxSequenceDigits = 18;
// Sort keys pad sequences to this width (more than any valid sequence has).
constexpr int kSortDigits = 19;
static_assert(kMaxSequenceDigits < kSortDigits);

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string FormatRiskId(int year, int64_t sequence) {
  return absl::StrFormat("%s%0*d%c%0*d", kPrefix, kYearDigits, year, kSeparator,
                         kMinSequenceDigits, sequence);
}

bool IsValidRiskId(absl::string_view id) {
  if (!absl::ConsumePrefix(&id, kPrefix)) return false;
  if (id.size() < kYearDigits + 1) return false;
  const absl::string_view year = id.substr(0, kYearDigits);
  if (!AllDigits(year) || id[kYearDigits] != kSeparator) return false;
  const absl::string_view sequence = id.substr(kYearDigits + 1);
  if (sequence.size() < kMinSequenceDigits ||
      sequence.size() > kMaxSequenceDigits || !AllDigits(sequence)) {
    return false;
  }
  // Padding only ever brings a sequence up to the minimum width.
  return sequence.size() == kMinSequenceDigits || sequence[0] != '0';
}

std::string RiskIdSortKey(absl::string_view id) {
  if (!IsValidRiskId(id)) return std::string(id);
  const absl::string_view head =
      id.substr(0, sizeof(kPrefix) - 1 + kYearDigits + 1);
  const absl::string_view sequence = id.substr(head.size());
  return absl::StrCat(head, std::string(kSortDigits - sequence.size(), '0'),
                      sequence);
}

}  // namespace domain
}  // namespace riskledger
