// The projection values the sequencer wrote, kept for deciding commands:
// those of groups not yet durable (which decisions must see before the
// database does), and, within a byte budget, the most recently written
// durable ones, so that deciding on a resource written lately reads memory
// instead of searching RocksDB's memtable. It stays coherent because the
// sequencer is the only writer of projections while the store is open: a
// key it does not hold is read from the database, which then has the key's
// latest value.
#ifndef RISKLEDGER_STORAGE_RECENT_PROJECTIONS_H_
#define RISKLEDGER_STORAGE_RECENT_PROJECTIONS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "storage/projector.h"

namespace riskledger::storage {

class RecentProjections {
 public:
  using Key = std::pair<ProjectionTable, std::string>;

  // What a durable value costs beyond its key and value (table slot, entry,
  // list node), counted against the budget.
  static constexpr size_t kEntryOverheadBytes = 160;

  // Durable values beyond `durable_budget_bytes` (keys, values and
  // kEntryOverheadBytes each) are forgotten, the one that became durable
  // longest ago first; 0 keeps none once durable. One entry per key.
  explicit RecentProjections(size_t durable_budget_bytes)
      : durable_budget_bytes_(durable_budget_bytes) {}

  // `group` (not yet durable) writes `value` (nullopt: deletes) at `key`.
  void Stage(const Key& key, std::optional<std::string> value, uint64_t group);
  // `group` is durable; `keys` are those it staged. A key staged again by a
  // later group keeps that group's value.
  void Settled(uint64_t group, const std::vector<Key>& keys);
  // The value staged last at the key (nullopt: deleted), or nullptr when
  // this holds nothing for it and the database has its latest value.
  const std::optional<std::string>* Find(ProjectionTable table,
                                         absl::string_view key) const;
  // Forgets the durable values (the database's projections were rewritten),
  // keeping those of groups not yet durable.
  void ForgetDurable();
  // Forgets everything (the staged groups failed).
  void Clear();

  size_t durable_bytes() const { return durable_bytes_; }

 private:
  struct Entry {
    std::optional<std::string> value;
    uint64_t group = 0;
    // Durable entries are in durable_, oldest first, and count `bytes`.
    bool durable = false;
    std::list<Key>::iterator in_durable;
    size_t bytes = 0;
  };
  using Table = absl::flat_hash_map<std::string, Entry>;

  Table& TableOf(ProjectionTable table) {
    return tables_[static_cast<size_t>(table)];
  }
  void Evict();

  const size_t durable_budget_bytes_;
  std::array<Table, 2> tables_;
  std::list<Key> durable_;
  size_t durable_bytes_ = 0;
};

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_RECENT_PROJECTIONS_H_
