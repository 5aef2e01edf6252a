// tlog-checkpoint bodies: strict parsing, one canonical formatting.
#include "storage/audit/checkpoint.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "storage/audit/sha256.h"

namespace riskledger::audit {
namespace {

constexpr absl::string_view kTimePrefix = "time ";

absl::Status NotACheckpoint(absl::string_view why) {
  return absl::DataLossError(absl::StrCat("not a checkpoint: ", why));
}

}  // namespace

std::string FormatCheckpoint(const Checkpoint& checkpoint) {
  std::string text = absl::StrCat(checkpoint.origin, "\n", checkpoint.size,
                                  "\n", absl::Base64Escape(checkpoint.root_hash),
                                  "\n");
  for (const std::string& line : checkpoint.extensions) {
    absl::StrAppend(&text, line, "\n");
  }
  return text;
}

absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return NotACheckpoint("the text does not end with a newline");
  }
  text.remove_suffix(1);
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  if (lines.size() < 3) {
    return NotACheckpoint("fewer than three lines (origin, size, root)");
  }
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  if (checkpoint.origin.empty()) return NotACheckpoint("empty origin");
  // Decimal digits only, no sign or leading zero: one text per size.
  const absl::string_view size = lines[1];
  if (size.empty() || size.size() > 20 ||
      !std::all_of(size.begin(), size.end(), absl::ascii_isdigit) ||
      (size.size() > 1 && size[0] == '0') ||
      !absl::SimpleAtoi(size, &checkpoint.size)) {
    return NotACheckpoint("the tree size is not a decimal number");
  }
  if (!absl::Base64Unescape(lines[2], &checkpoint.root_hash) ||
      checkpoint.root_hash.size() != kHashSize ||
      absl::Base64Escape(checkpoint.root_hash) != lines[2]) {
    return NotACheckpoint("the root hash is not 32 bytes in base64");
  }
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return NotACheckpoint("an empty extension line");
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

std::string TimeExtension(absl::Time time) {
  return absl::StrCat(kTimePrefix, absl::FormatTime(absl::RFC3339_full, time,
                                                    absl::UTCTimeZone()));
}

absl::StatusOr<absl::Time> CheckpointTime(const Checkpoint& checkpoint) {
  for (absl::string_view line : checkpoint.extensions) {
    if (!absl::ConsumePrefix(&line, kTimePrefix)) continue;
    absl::Time time;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, line, &time, &error)) {
      return NotACheckpoint(absl::StrCat("bad time extension: ", error));
    }
    return time;
  }
  return absl::NotFoundError("the checkpoint records no time");
}

}  // namespace riskledger::audit
