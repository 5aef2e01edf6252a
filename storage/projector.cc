// StagedProjection: an overlay of pending writes on top of the store.
#include "storage/projector.h"

#include "absl/strings/str_cat.h"
#include "storage/event_store.h"

namespace riskledger::storage {

absl::StatusOr<std::optional<std::string>> StagedProjection::Get(
    ProjectionTable table, absl::string_view key) {
  Key staged_key{table, std::string(key)};
  auto it = staged_.find(staged_key);
  if (it != staged_.end()) return it->second;
  absl::StatusOr<std::optional<std::string>> value =
      store_.GetProjection(table, key);
  if (value.ok()) read_.emplace(std::move(staged_key), *value);
  return value;
}

std::string StreamStateKey(absl::string_view stream) {
  return absl::StrCat("aggregate|", stream);
}

absl::StatusOr<std::optional<std::string>> StagedProjection::GetStreamState(
    absl::string_view stream) {
  const std::string key = StreamStateKey(stream);
  auto it = staged_.find({ProjectionTable::kState, key});
  if (it != staged_.end()) return it->second;
  return store_.GetProjection(ProjectionTable::kState, key);
}

void StagedProjection::Put(ProjectionTable table, absl::string_view key,
                           std::string value) {
  staged_[{table, std::string(key)}] = std::move(value);
}

void StagedProjection::Delete(ProjectionTable table, absl::string_view key) {
  staged_[{table, std::string(key)}] = std::nullopt;
}

std::vector<ProjectionWrite> StagedProjection::TakeWrites() {
  std::vector<ProjectionWrite> writes;
  writes.reserve(staged_.size());
  for (auto& [table_and_key, value] : staged_) {
    writes.push_back(
        {table_and_key.first, table_and_key.second, std::move(value)});
  }
  staged_.clear();
  return writes;
}

std::vector<ProjectionRead> StagedProjection::TakeReads() {
  std::vector<ProjectionRead> reads;
  reads.reserve(read_.size());
  for (auto& [table_and_key, value] : read_) {
    reads.push_back(
        {table_and_key.first, table_and_key.second, std::move(value)});
  }
  read_.clear();
  return reads;
}

}  // namespace riskledger::storage
