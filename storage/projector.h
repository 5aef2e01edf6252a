// Projections: read models derived from the log, and the staging view that lets
// a command compute its projection writes before it appends them.
#ifndef RISKLEDGER_STORAGE_PROJECTOR_H_
#define RISKLEDGER_STORAGE_PROJECTOR_H_

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace riskledger::storage {

struct EventEnvelope;

// Where a projection entry lives.
enum class ProjectionTable {
  kState,  // current resources (read models), by key
  kIndex,  // secondary indexes (e.g. priority order), by sort key
};

// One projection write; `value` nullopt deletes the key.
struct ProjectionWrite {
  ProjectionTable table = ProjectionTable::kState;
  std::string key;
  std::optional<std::string> value;
};

// A projection value that staging a command read from the store (nullopt:
// absent). The command's append fails with ABORTED unless the value is still
// the same when it commits, so that a read model fed by several streams never
// loses an update to a concurrent command on another stream.
struct ProjectionRead {
  ProjectionTable table = ProjectionTable::kState;
  std::string key;
  std::optional<std::string> value;
};

// Point reads of projections: what deciding and staging a command need.
// Thread-safe.
class ProjectionLookup {
 public:
  virtual ~ProjectionLookup() = default;

  // One projection value, or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> GetProjection(
      ProjectionTable table, absl::string_view key) = 0;
};

// Read access to projections. Thread-safe.
class ProjectionReader : public ProjectionLookup {
 public:

  // Up to `max_count` projection entries whose key starts with `prefix` and is
  // greater than `start_after` (when non-empty), in key order.
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  ScanProjection(ProjectionTable table, absl::string_view prefix,
                 absl::string_view start_after, size_t max_count) = 0;
};

// Where the aggregate state of a stream is kept in the kState table:
// "aggregate|<stream>".
std::string StreamStateKey(absl::string_view stream);

// A projection value a projector holds decoded (a parsed message). A view
// that keeps values across many events (the rebuild, which applies the whole
// log) keeps it as it is and encodes it once, when it writes it to the store;
// other views encode it at once. Encode must give the bytes the projector
// would Put.
class DecodedValue {
 public:
  virtual ~DecodedValue() = default;
  virtual std::string Encode() const = 0;
  // What it occupies in memory, about: counted against the rebuild's budget.
  virtual size_t ApproximateBytes() const = 0;
};

// Read/write access to projections while events are applied.
class ProjectionView {
 public:
  virtual ~ProjectionView() = default;
  // The value at `key` as a projector last put it decoded, or nullptr when
  // the view holds it only encoded (or not at all): then Get answers. The
  // pointer is valid until the key is written again; a caller may move from
  // the value only when it writes the key again before anyone reads it.
  virtual DecodedValue* FindDecoded(ProjectionTable /*table*/,
                                    absl::string_view /*key*/) {
    return nullptr;
  }
  // Put(table, key, value->Encode()), unless the view keeps decoded values.
  virtual void PutDecoded(ProjectionTable table, absl::string_view key,
                          std::unique_ptr<DecodedValue> value) {
    Put(table, key, value->Encode());
  }
  virtual absl::StatusOr<std::optional<std::string>> Get(
      ProjectionTable table, absl::string_view key) = 0;
  // The aggregate state of `stream` (at StreamStateKey(stream) in kState).
  // Only events of `stream` write it, and a command expects every stream it
  // appends to, so this read is not checked again at commit (unlike Get,
  // see ProjectionRead). By default the same as Get.
  virtual absl::StatusOr<std::optional<std::string>> GetStreamState(
      absl::string_view stream) {
    return Get(ProjectionTable::kState, StreamStateKey(stream));
  }
  virtual void Put(ProjectionTable table, absl::string_view key,
                   std::string value) = 0;
  virtual void Delete(ProjectionTable table, absl::string_view key) = 0;
};

// Derives projections from events. The same Apply runs when a command is
// handled and when projections are rebuilt from the log, so both give the same
// state. Apply must depend only on the event's stream_id, stream_version, type,
// payload, time, principal and justification (known when the command is
// staged; the position and hashes are assigned later, by the sequencer), and
// on what `view` returns. Implementations are thread-safe.
class Projector {
 public:
  virtual ~Projector() = default;
  virtual absl::Status Apply(const EventEnvelope& event,
                             ProjectionView& view) const = 0;
};

// A ProjectionView over a store that records writes instead of applying them:
// reads see the store plus the writes staged so far. It also records what it
// read from the store, for the append to check (ProjectionRead). Not
// thread-safe; one per command.
class StagedProjection : public ProjectionView {
 public:
  explicit StagedProjection(ProjectionLookup& store) : store_(store) {}

  absl::StatusOr<std::optional<std::string>> Get(
      ProjectionTable table, absl::string_view key) override;
  absl::StatusOr<std::optional<std::string>> GetStreamState(
      absl::string_view stream) override;
  void Put(ProjectionTable table, absl::string_view key,
           std::string value) override;
  void Delete(ProjectionTable table, absl::string_view key) override;

  // The staged writes, one per key touched, in key order.
  std::vector<ProjectionWrite> TakeWrites();

  // The values read from the store (before any staged write of the key), one
  // per key, in key order.
  std::vector<ProjectionRead> TakeReads();

 private:
  using Key = std::pair<ProjectionTable, std::string>;
  ProjectionLookup& store_;
  std::map<Key, std::optional<std::string>> staged_;
  std::map<Key, std::optional<std::string>> read_;
};

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_PROJECTOR_H_
