#include "storage/memory_projections.h"

#include "absl/strings/match.h"

namespace riskledger::storage {

absl::StatusOr<std::optional<std::string>> MemoryProjections::Get(
    ProjectionTable table, absl::string_view key) {
  return GetProjection(table, key);
}

void MemoryProjections::Put(ProjectionTable table, absl::string_view key,
                            std::string value) {
  Table& entries = TableOf(table);
  auto it = entries.find(key);
  if (it == entries.end()) {
    bytes_ += key.size() + value.size();
    entries.emplace(std::string(key), std::move(value));
    return;
  }
  bytes_ = bytes_ - it->second.size() + value.size();
  it->second = std::move(value);
}

void MemoryProjections::Delete(ProjectionTable table, absl::string_view key) {
  Table& entries = TableOf(table);
  auto it = entries.find(key);
  if (it == entries.end()) return;
  bytes_ -= it->first.size() + it->second.size();
  entries.erase(it);
}

absl::StatusOr<std::optional<std::string>> MemoryProjections::GetProjection(
    ProjectionTable table, absl::string_view key) {
  const Table& entries = TableOf(table);
  auto it = entries.find(key);
  if (it == entries.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
MemoryProjections::ScanProjection(ProjectionTable table,
                                  absl::string_view prefix,
                                  absl::string_view start_after,
                                  size_t max_count) {
  const Table& entries = TableOf(table);
  auto it = start_after.empty() ? entries.lower_bound(prefix)
                                : entries.upper_bound(start_after);
  // A resume key below the prefix starts at the prefix.
  if (it != entries.end() && it->first < prefix) it = entries.lower_bound(prefix);
  std::vector<std::pair<std::string, std::string>> out;
  for (; it != entries.end() && out.size() < max_count &&
         absl::StartsWith(it->first, prefix);
       ++it) {
    out.emplace_back(it->first, it->second);
  }
  return out;
}

}  // namespace riskledger::storage
