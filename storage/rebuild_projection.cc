#include "storage/rebuild_projection.h"

#include <utility>

#include "services/base/status_macros.h"

namespace riskledger::storage {
namespace {

// What an entry costs besides its key and value: the key's and the holder's
// headers and the hash table's slot and control byte, counted so that many
// small index entries do not overrun the budget unnoticed.
constexpr size_t kEntryOverhead = sizeof(std::string) + 64;

}  // namespace

RebuildProjection::Values& RebuildProjection::TableValues(
    ProjectionTable table) {
  return values_[table == ProjectionTable::kState ? 0 : 1];
}

absl::StatusOr<std::optional<std::string>> RebuildProjection::Get(
    ProjectionTable table, absl::string_view key) {
  const Values& values = TableValues(table);
  auto it = values.find(key);
  if (it != values.end()) {
    const Held& held = it->second;
    if (held.decoded != nullptr) {
      return std::optional<std::string>(held.decoded->Encode());
    }
    return held.encoded;
  }
  if (!taken_) return std::optional<std::string>();
  return store_.GetProjection(table, key);
}

void RebuildProjection::Hold(ProjectionTable table, absl::string_view key,
                             Held held) {
  Values& values = TableValues(table);
  held.charged += key.size() + kEntryOverhead;
  auto [it, inserted] = values.try_emplace(key);
  if (!inserted) bytes_ -= it->second.charged;
  bytes_ += held.charged;
  it->second = std::move(held);
}

void RebuildProjection::Put(ProjectionTable table, absl::string_view key,
                            std::string value) {
  Held held;
  held.charged = value.size();
  held.encoded = std::move(value);
  Hold(table, key, std::move(held));
}

void RebuildProjection::Delete(ProjectionTable table, absl::string_view key) {
  if (taken_) {
    // The store may hold a value spilled earlier: the delete must reach it.
    Hold(table, key, Held());
    return;
  }
  // Nothing reached the store yet: forgetting the key is deleting it.
  Values& values = TableValues(table);
  auto it = values.find(key);
  if (it == values.end()) return;
  bytes_ -= it->second.charged;
  values.erase(it);
}

DecodedValue* RebuildProjection::FindDecoded(ProjectionTable table,
                                             absl::string_view key) {
  Values& values = TableValues(table);
  auto it = values.find(key);
  return it == values.end() ? nullptr : it->second.decoded.get();
}

void RebuildProjection::PutDecoded(ProjectionTable table,
                                   absl::string_view key,
                                   std::unique_ptr<DecodedValue> value) {
  Held held;
  held.charged = value->ApproximateBytes();
  held.decoded = std::move(value);
  Hold(table, key, std::move(held));
}

absl::Status RebuildProjection::Spill(size_t batch_bytes,
                                      const BatchWriter& write) {
  taken_ = true;
  std::vector<ProjectionWrite> batch;
  size_t batched = 0;
  for (ProjectionTable table :
       {ProjectionTable::kState, ProjectionTable::kIndex}) {
    Values& values = TableValues(table);
    for (auto& [key, held] : values) {
      ProjectionWrite& out = batch.emplace_back();
      out.table = table;
      out.key = key;
      if (held.decoded != nullptr) {
        out.value = held.decoded->Encode();
        held.decoded.reset();
      } else {
        out.value = std::move(held.encoded);
      }
      batched += key.size() + (out.value.has_value() ? out.value->size() : 0);
      if (batched >= batch_bytes) {
        RETURN_IF_ERROR(write(batch));
        batch.clear();
        batched = 0;
      }
    }
  }
  if (!batch.empty()) RETURN_IF_ERROR(write(batch));
  for (Values& values : values_) values.clear();
  bytes_ = 0;
  return absl::OkStatus();
}

}  // namespace riskledger::storage
