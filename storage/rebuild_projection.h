#ifndef RISKLEDGER_STORAGE_REBUILD_PROJECTION_H_
#define RISKLEDGER_STORAGE_REBUILD_PROJECTION_H_

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/projector.h"

namespace riskledger::storage {

// What a projection rebuild holds in memory by default.
inline constexpr size_t kDefaultRebuildMemoryBytes = size_t{512} << 20;

// The projection view of a rebuild, which applies the whole log in order to
// projection tables it has just cleared.
//
// Every value the projectors write stays in memory, decoded when they hand
// it over decoded (PutDecoded), and reaches the store only through
// Spill: when the values outgrow `max_bytes` and at the end. A read
// model that a thousand events change is so parsed, serialized and written
// to RocksDB once instead of a thousand times (written per event, the
// rebuild spent most of its time in copies, parsing and memtable inserts:
// 44k entries/s on 1M entries).
//
// Until the first Spill the memory holds everything written since the
// clear, so a key it does not hold has no value and the store is not read.
// After it, such a key is read from the store, which the caller must have
// given every write taken.
class RebuildProjection : public ProjectionView {
 public:
  RebuildProjection(ProjectionLookup& store, size_t max_bytes)
      : store_(store), max_bytes_(max_bytes) {}

  absl::StatusOr<std::optional<std::string>> Get(
      ProjectionTable table, absl::string_view key) override;
  void Put(ProjectionTable table, absl::string_view key,
           std::string value) override;
  void Delete(ProjectionTable table, absl::string_view key) override;
  DecodedValue* FindDecoded(ProjectionTable table,
                            absl::string_view key) override;
  void PutDecoded(ProjectionTable table, absl::string_view key,
                  std::unique_ptr<DecodedValue> value) override;

  // True when the values held outgrew `max_bytes`: time to Spill.
  bool full() const { return bytes_ > max_bytes_; }

  // Hands every value held, encoded (nullopt: deleted), to `write` in
  // batches of about `batch_bytes`, in no particular order, and empties the
  // memory. `write` must put them in the store (reads after this one may
  // miss the memory); its first error stops the spill and is returned (the view is then
  // unusable: the rebuild fails).
  using BatchWriter =
      std::function<absl::Status(const std::vector<ProjectionWrite>&)>;
  absl::Status Spill(size_t batch_bytes, const BatchWriter& write);

  // False once Spill emptied the memory (reads may reach the store).
  bool complete() const { return !taken_; }

 private:
  // A value written: encoded, decoded, or deleted (neither).
  struct Held {
    std::optional<std::string> encoded;
    std::unique_ptr<DecodedValue> decoded;
    size_t charged = 0;  // what it counts against the budget
  };
  using Values = absl::flat_hash_map<std::string, Held>;

  Values& TableValues(ProjectionTable table);
  void Hold(ProjectionTable table, absl::string_view key, Held held);

  ProjectionLookup& store_;
  const size_t max_bytes_;
  size_t bytes_ = 0;
  bool taken_ = false;
  std::array<Values, 2> values_;  // by ProjectionTable
};

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_REBUILD_PROJECTION_H_
