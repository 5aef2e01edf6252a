#include "storage/rebuild_overlay.h"

namespace riskledger::storage {
namespace {

// What an entry costs besides its key and value bytes: two std::string
// headers and the hash table's slot and control byte, counted so that many
// small index entries do not overrun the budget unnoticed.
constexpr size_t kEntryOverhead = 2 * sizeof(std::string) + 8;

}  // namespace

RebuildOverlay::Values& RebuildOverlay::TableValues(ProjectionTable table) {
  return values_[table == ProjectionTable::kState ? 0 : 1];
}

absl::StatusOr<std::optional<std::string>> RebuildOverlay::GetProjection(
    ProjectionTable table, absl::string_view key) {
  const Values& values = TableValues(table);
  auto it = values.find(key);
  if (it != values.end()) return std::optional<std::string>(it->second);
  if (complete_) return std::optional<std::string>();
  return store_.GetProjection(table, key);
}

void RebuildOverlay::Record(const std::vector<ProjectionWrite>& writes) {
  for (const ProjectionWrite& write : writes) {
    Values& values = TableValues(write.table);
    auto it = values.find(write.key);
    if (it != values.end()) {
      bytes_ -= it->first.size() + it->second.size() + kEntryOverhead;
      values.erase(it);
    }
    if (write.value.has_value()) {
      bytes_ += write.key.size() + write.value->size() + kEntryOverhead;
      values.emplace(write.key, *write.value);
    }
  }
  if (bytes_ > max_bytes_) {
    for (Values& values : values_) values.clear();
    bytes_ = 0;
    complete_ = false;
  }
}

}  // namespace riskledger::storage
