#include "storage/recent_projections.h"

namespace riskledger::storage {

void RecentProjections::Stage(const Key& key, std::optional<std::string> value,
                              uint64_t group) {
  Entry& entry = TableOf(key.first)[key.second];
  if (entry.durable) {
    durable_.erase(entry.in_durable);
    durable_bytes_ -= entry.bytes;
  }
  entry.value = std::move(value);
  entry.group = group;
  entry.durable = false;
  entry.bytes = 0;
}

void RecentProjections::Settled(uint64_t group, const std::vector<Key>& keys) {
  for (const Key& key : keys) {
    Table& table = TableOf(key.first);
    auto it = table.find(key.second);
    if (it == table.end() || it->second.group != group || it->second.durable) {
      continue;  // staged again later (or listed twice by the group)
    }
    Entry& entry = it->second;
    entry.durable = true;
    entry.bytes = kEntryOverheadBytes + key.second.size() +
                  (entry.value.has_value() ? entry.value->size() : 0);
    entry.in_durable = durable_.insert(durable_.end(), key);
    durable_bytes_ += entry.bytes;
  }
  Evict();
}

void RecentProjections::Evict() {
  while (durable_bytes_ > durable_budget_bytes_ && !durable_.empty()) {
    const Key& oldest = durable_.front();
    Table& table = TableOf(oldest.first);
    auto it = table.find(oldest.second);
    durable_bytes_ -= it->second.bytes;
    table.erase(it);
    durable_.pop_front();
  }
}

const std::optional<std::string>* RecentProjections::Find(
    ProjectionTable table, absl::string_view key) const {
  const Table& entries = tables_[static_cast<size_t>(table)];
  auto it = entries.find(key);
  return it == entries.end() ? nullptr : &it->second.value;
}

void RecentProjections::ForgetDurable() {
  for (Table& table : tables_) {
    absl::erase_if(table, [](const auto& kv) { return kv.second.durable; });
  }
  durable_.clear();
  durable_bytes_ = 0;
}

void RecentProjections::Clear() {
  for (Table& table : tables_) table.clear();
  durable_.clear();
  durable_bytes_ = 0;
}

}  // namespace riskledger::storage
