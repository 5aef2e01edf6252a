// Where the decision state of each aggregate is kept: a projection
// "aggregate|<stream>" in the state table holding the stream version and the
// state folded by Evolve, written by the EventRegistry with every event of
// the stream (so a rebuild derives it again from the log).
#ifndef RISKLEDGER_SERVICES_COMMON_AGGREGATE_SNAPSHOT_H_
#define RISKLEDGER_SERVICES_COMMON_AGGREGATE_SNAPSHOT_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/domain/aggregate.h"
#include "storage/event_codec.h"
#include "storage/projector.h"

namespace riskledger {

// The projection key of `stream`'s snapshot.
std::string SnapshotKey(absl::string_view stream);

// The stored form: an 8-byte big-endian version, then the serialized state.
std::string EncodeSnapshot(int64_t version,
                           const google::protobuf::Message& state);

// Parses `bytes` into `state`; DATA_LOSS naming `stream` when malformed.
absl::StatusOr<int64_t> DecodeSnapshot(absl::string_view stream,
                                       absl::string_view bytes,
                                       google::protobuf::Message& state);

// The current state of `stream` from `source` (a ProjectionView or any type
// with the same Get), version 0 and an empty state when it has no events.
template <typename State, typename Source>
absl::StatusOr<domain::Current<State>> LoadSnapshot(Source& source,
                                                    absl::string_view stream) {
  absl::StatusOr<std::optional<std::string>> bytes =
      source.Get(storage::ProjectionTable::kState, SnapshotKey(stream));
  if (!bytes.ok()) return bytes.status();
  domain::Current<State> current;
  if (!bytes->has_value()) return current;
  absl::StatusOr<int64_t> version =
      DecodeSnapshot(stream, **bytes, current.state);
  if (!version.ok()) return version.status();
  current.version = *version;
  return current;
}

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_AGGREGATE_SNAPSHOT_H_
