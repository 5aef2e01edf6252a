#include "services/common/point_in_time.h"

#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/base/status_details.h"
#include "services/base/status_macros.h"
#include "services/common/proto_time.h"
#include "services/common/timestamp_checks.h"

namespace riskledger {
namespace {

// Entries read per round trip while replaying.
constexpr size_t kReplayChunk = 1024;

// The time the entry at `position` was recorded.
absl::StatusOr<absl::Time> TimeAt(storage::EventStore& store,
                                  int64_t position) {
  ASSIGN_OR_RETURN(std::vector<storage::EventEnvelope> entries,
                   store.ReadAll(position, 1));
  if (entries.empty() || entries[0].position != position) {
    return absl::DataLossError(
        absl::StrCat("log entry ", position, " is missing"));
  }
  return entries[0].time;
}

absl::Status Apply(const EventRegistry& registry,
                   const storage::EventEnvelope& event,
                   storage::MemoryProjections& view) {
  absl::Status applied = registry.Apply(event, view);
  if (!applied.ok()) {
    return absl::DataLossError(absl::StrCat(
        "replaying log position ", event.position, ": ", applied.message()));
  }
  return absl::OkStatus();
}

}  // namespace

void CheckAsOf(FieldViolationCollector& violations, absl::string_view field,
               const v1::AsOf& as_of) {
  switch (as_of.point_case()) {
    case v1::AsOf::kLogPosition:
      if (as_of.log_position() < 1) {
        violations.Add(absl::StrCat(field, ".log_position"),
                       "must be at least 1");
      }
      break;
    case v1::AsOf::kTime:
      CheckTimestamp(violations, absl::StrCat(field, ".time"), as_of.time());
      break;
    case v1::AsOf::POINT_NOT_SET:
      violations.Add(field, "must set log_position or time");
      break;
  }
}

absl::StatusOr<int64_t> ResolveAsOf(storage::EventStore& store,
                                    const v1::AsOf& as_of,
                                    absl::string_view field) {
  ASSIGN_OR_RETURN(storage::ChainHead head, store.Head());
  if (as_of.point_case() == v1::AsOf::kLogPosition) {
    if (as_of.log_position() > head.position) {
      return absl::OutOfRangeError(
          absl::StrCat(field, ".log_position ", as_of.log_position(),
                       " is beyond the log (", head.position, " entries)"));
    }
    return as_of.log_position();
  }
  // The last position whose entry was recorded at or before `time`.
  const absl::Time time = FromProtoTimestamp(as_of.time());
  int64_t low = 0;  // recorded at or before `time` (0: none)
  int64_t high = head.position + 1;  // recorded after it (past the end)
  while (high - low > 1) {
    const int64_t middle = low + (high - low) / 2;
    ASSIGN_OR_RETURN(absl::Time recorded, TimeAt(store, middle));
    if (recorded <= time) {
      low = middle;
    } else {
      high = middle;
    }
  }
  return low;
}

absl::StatusOr<std::unique_ptr<storage::MemoryProjections>> ReplayStream(
    storage::EventStore& store, const EventRegistry& registry,
    const std::string& stream, int64_t position) {
  auto view = std::make_unique<storage::MemoryProjections>();
  int64_t next_version = 1;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<storage::EventEnvelope> events,
                     store.ReadStream(stream, next_version, kReplayChunk));
    for (const storage::EventEnvelope& event : events) {
      if (event.position > position) return view;
      RETURN_IF_ERROR(Apply(registry, event, *view));
      next_version = event.stream_version + 1;
    }
    if (events.size() < kReplayChunk) return view;
  }
}

absl::StatusOr<std::shared_ptr<storage::MemoryProjections>> TenantReplays::At(
    const std::string& stream_prefix, int64_t position) {
  absl::MutexLock lock(&mu_);
  if (cached_ != nullptr && cached_prefix_ == stream_prefix &&
      cached_position_ == position) {
    return cached_;
  }
  cached_.reset();  // at most one replay in memory
  auto view = std::make_shared<storage::MemoryProjections>();
  int64_t next = 1;
  while (next <= position) {
    ASSIGN_OR_RETURN(std::vector<storage::EventEnvelope> events,
                     store_.ReadAll(next, kReplayChunk));
    if (events.empty()) break;
    for (const storage::EventEnvelope& event : events) {
      if (event.position > position) break;
      if (absl::StartsWith(event.stream_id, stream_prefix)) {
        RETURN_IF_ERROR(Apply(registry_, event, *view));
      }
      next = event.position + 1;
    }
    if (events.size() < kReplayChunk) break;
  }
  cached_prefix_ = stream_prefix;
  cached_position_ = position;
  cached_ = view;
  return view;
}

}  // namespace riskledger
