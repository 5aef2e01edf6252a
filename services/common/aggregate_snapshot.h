// Where the decision state of each aggregate is kept: a projection
// "aggregate|<stream>" in the state table holding the stream version and the
// state folded by Evolve, written by the EventRegistry with every event of
// the stream (so a rebuild derives it again from the log).
#ifndef RISKLEDGER_SERVICES_COMMON_AGGREGATE_SNAPSHOT_H_
#define RISKLEDGER_SERVICES_COMMON_AGGREGATE_SNAPSHOT_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/domain/aggregate.h"
#include "storage/event_codec.h"
#include "storage/projector.h"

namespace riskledger {

// The projection key of `stream`'s snapshot (storage::StreamStateKey).
std::string SnapshotKey(absl::string_view stream);

// The stored form: an 8-byte big-endian version, then the serialized state.
std::string EncodeSnapshot(int64_t version,
                           const google::protobuf::Message& state);

// Parses `bytes` into `state`; DATA_LOSS naming `stream` when malformed.
absl::StatusOr<int64_t> DecodeSnapshot(absl::string_view stream,
                                       absl::string_view bytes,
                                       google::protobuf::Message& state);

// The state of `stream` from its stored snapshot `bytes`: version 0 and an
// empty state when there is none (the stream has no events).
template <typename State>
absl::StatusOr<domain::Current<State>> ParseSnapshot(
    absl::string_view stream, const std::optional<std::string>& bytes) {
  domain::Current<State> current;
  if (!bytes.has_value()) return current;
  absl::StatusOr<int64_t> version = DecodeSnapshot(stream, *bytes, current.state);
  if (!version.ok()) return version.status();
  current.version = *version;
  return current;
}

// A snapshot as a view that keeps decoded values holds it (the rebuild): the
// state is evolved in place of parsing and serializing it per event.
template <typename State>
class DecodedSnapshot final : public storage::DecodedValue {
 public:
  explicit DecodedSnapshot(domain::Current<State> current)
      : current(std::move(current)) {}
  std::string Encode() const override {
    return EncodeSnapshot(current.version, current.state);
  }
  // A parsed message takes about twice its encoding (string headers).
  size_t ApproximateBytes() const override {
    return sizeof(*this) + 2 * current.state.ByteSizeLong();
  }

  domain::Current<State> current;
};

// The snapshot of `stream`: the view's own decoded one when it keeps it,
// else parsed into `parsed`. A caller may move from the view's own only to
// PutSnapshot the stream right after.
template <typename State>
absl::StatusOr<domain::Current<State>*> ReadSnapshot(
    storage::ProjectionView& view, absl::string_view stream,
    domain::Current<State>& parsed) {
  if (auto* kept = dynamic_cast<DecodedSnapshot<State>*>(view.FindDecoded(
          storage::ProjectionTable::kState, SnapshotKey(stream)))) {
    return &kept->current;
  }
  absl::StatusOr<std::optional<std::string>> bytes =
      view.GetStreamState(stream);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<domain::Current<State>> current =
      ParseSnapshot<State>(stream, *bytes);
  if (!current.ok()) return current.status();
  parsed = *std::move(current);
  return &parsed;
}

// Writes `stream`'s snapshot (decoded, to a view that keeps decoded values).
template <typename State>
void PutSnapshot(storage::ProjectionView& view, absl::string_view stream,
                 domain::Current<State> current) {
  view.PutDecoded(storage::ProjectionTable::kState, SnapshotKey(stream),
                  std::make_unique<DecodedSnapshot<State>>(std::move(current)));
}

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_AGGREGATE_SNAPSHOT_H_
