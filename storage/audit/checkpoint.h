// The body of a signed checkpoint in the C2SP tlog-checkpoint format
// (https://c2sp.org/tlog-checkpoint): the log's origin, its tree size and
// root hash, and extension lines (riskledger writes the signing time).
#ifndef RISKLEDGER_STORAGE_AUDIT_CHECKPOINT_H_
#define RISKLEDGER_STORAGE_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace riskledger::audit {

struct Checkpoint {
  // Names the log, e.g. `riskledger.example.org/risk-log`; also the name of
  // the key that signs it.
  std::string origin;
  uint64_t size = 0;
  // The RFC 6962 root of the first `size` entries (32 raw bytes).
  std::string root_hash;
  // Further lines, opaque to the format; riskledger writes one, the time the
  // checkpoint was made (see CheckpointTime).
  std::vector<std::string> extensions;
};

// The note text of `checkpoint`: one line each for origin, decimal size and
// base64 root, then the extension lines, each ending in a newline.
std::string FormatCheckpoint(const Checkpoint& checkpoint);

// Parses a note text (the part a signature covers). DATA_LOSS naming the
// problem when it is not a checkpoint.
absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view text);

// The extension line recording when a checkpoint was made:
// `time <RFC 3339 UTC>`.
std::string TimeExtension(absl::Time time);

// The time a checkpoint's extension says it was made, if it has one.
absl::StatusOr<absl::Time> CheckpointTime(const Checkpoint& checkpoint);

}  // namespace riskledger::audit

#endif  // RISKLEDGER_STORAGE_AUDIT_CHECKPOINT_H_
