// Projections held in memory: a view that events are applied to and a
// reader that the read handlers query, for state derived from a part of the
// log on demand (a point-in-time read) instead of from the store's tables.
#ifndef RISKLEDGER_STORAGE_MEMORY_PROJECTIONS_H_
#define RISKLEDGER_STORAGE_MEMORY_PROJECTIONS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/projector.h"

namespace riskledger::storage {

// Not thread-safe while events are applied; once filled, concurrent reads
// are safe (the reader methods do not modify it).
class MemoryProjections final : public ProjectionView,
                                public ProjectionReader {
 public:
  // ProjectionView.
  absl::StatusOr<std::optional<std::string>> Get(
      ProjectionTable table, absl::string_view key) override;
  void Put(ProjectionTable table, absl::string_view key,
           std::string value) override;
  void Delete(ProjectionTable table, absl::string_view key) override;

  // ProjectionReader.
  absl::StatusOr<std::optional<std::string>> GetProjection(
      ProjectionTable table, absl::string_view key) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  ScanProjection(ProjectionTable table, absl::string_view prefix,
                 absl::string_view start_after, size_t max_count) override;

  // Bytes of keys and values held.
  size_t bytes() const { return bytes_; }

 private:
  using Table = std::map<std::string, std::string, std::less<>>;
  Table& TableOf(ProjectionTable table) {
    return table == ProjectionTable::kState ? state_ : index_;
  }
  const Table& TableOf(ProjectionTable table) const {
    return table == ProjectionTable::kState ? state_ : index_;
  }

  Table state_;
  Table index_;
  size_t bytes_ = 0;
};

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_MEMORY_PROJECTIONS_H_
