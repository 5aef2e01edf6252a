#include "storage/recent_projections.h"

namespace riskledger::storage {

void RecentProjections::Stage(const Key& key, std::optional<std::string> value,
                              uint64_t group) {
  Entry& entry = TableOf(key.first)[key.second];
  entry.value = std::move(value);
  entry.group = group;
  entry.durable = false;
}

void RecentProjections::Settled(uint64_t group, const std::vector<Key>& keys) {
  for (const Key& key : keys) {
    Table& table = TableOf(key.first);
    auto it = table.find(key.second);
    if (it == table.end() || it->second.group != group || it->second.durable) {
      continue;  // staged again later (or listed twice by the group)
    }
    it->second.durable = true;
    const size_t bytes =
        key.second.size() +
        (it->second.value.has_value() ? it->second.value->size() : 0);
    written_.push_back({key, group, bytes});
    durable_bytes_ += bytes;
  }
  Evict();
}

void RecentProjections::Evict() {
  while (durable_bytes_ > durable_budget_bytes_ && !written_.empty()) {
    const Written& oldest = written_.front();
    Table& table = TableOf(oldest.key.first);
    auto it = table.find(oldest.key.second);
    // A later write of the key (durable or not) has a record of its own.
    if (it != table.end() && it->second.group == oldest.group) {
      table.erase(it);
    }
    durable_bytes_ -= oldest.bytes;
    written_.pop_front();
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
  written_.clear();
  durable_bytes_ = 0;
}

void RecentProjections::Clear() {
  for (Table& table : tables_) table.clear();
  written_.clear();
  durable_bytes_ = 0;
}

}  // namespace riskledger::storage
