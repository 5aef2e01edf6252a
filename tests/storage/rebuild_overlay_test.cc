#include "storage/rebuild_overlay.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace riskledger::storage {
namespace {

using ::testing::Optional;

// The store under the overlay: what the rebuild's chunks wrote, and how often
// it was read.
class CountingStore : public ProjectionLookup {
 public:
  absl::StatusOr<std::optional<std::string>> GetProjection(
      ProjectionTable table, absl::string_view key) override {
    ++reads;
    auto it = values.find({table, std::string(key)});
    if (it == values.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }

  void Apply(const std::vector<ProjectionWrite>& writes) {
    for (const ProjectionWrite& write : writes) {
      if (write.value.has_value()) {
        values[{write.table, write.key}] = *write.value;
      } else {
        values.erase({write.table, write.key});
      }
    }
  }

  std::map<std::pair<ProjectionTable, std::string>, std::string> values;
  int reads = 0;
};

ProjectionWrite Put(ProjectionTable table, std::string key, std::string value) {
  return ProjectionWrite{table, std::move(key), std::move(value)};
}

ProjectionWrite Delete(ProjectionTable table, std::string key) {
  return ProjectionWrite{table, std::move(key), std::nullopt};
}

// The rebuild's order: a chunk goes to the store, then to the overlay.
void WriteChunk(CountingStore& store, RebuildOverlay& overlay,
                const std::vector<ProjectionWrite>& writes) {
  store.Apply(writes);
  overlay.Record(writes);
}

TEST(RebuildOverlayTest, WhileCompleteItAnswersEveryReadWithoutTheStore) {
  CountingStore store;
  RebuildOverlay overlay(store, 1 << 20);
  WriteChunk(store, overlay,
             {Put(ProjectionTable::kState, "risk|1", "a"),
              Put(ProjectionTable::kIndex, "risk|1", "index"),
              Put(ProjectionTable::kState, "risk|2", "b")});
  WriteChunk(store, overlay,
             {Put(ProjectionTable::kState, "risk|1", "a2"),
              Delete(ProjectionTable::kState, "risk|2")});

  EXPECT_THAT(*overlay.GetProjection(ProjectionTable::kState, "risk|1"),
              Optional(std::string("a2")));
  EXPECT_THAT(*overlay.GetProjection(ProjectionTable::kIndex, "risk|1"),
              Optional(std::string("index")));
  EXPECT_EQ(*overlay.GetProjection(ProjectionTable::kState, "risk|2"),
            std::nullopt);
  EXPECT_EQ(*overlay.GetProjection(ProjectionTable::kIndex, "risk|2"),
            std::nullopt);
  EXPECT_EQ(*overlay.GetProjection(ProjectionTable::kState, "never"),
            std::nullopt);
  EXPECT_TRUE(overlay.complete());
  EXPECT_EQ(store.reads, 0);
}

TEST(RebuildOverlayTest, PastItsBudgetItReadsWhatItNoLongerHoldsFromTheStore) {
  CountingStore store;
  RebuildOverlay overlay(store, 200);
  WriteChunk(store, overlay,
             {Put(ProjectionTable::kState, "early", std::string(300, 'e'))});
  EXPECT_FALSE(overlay.complete());
  WriteChunk(store, overlay,
             {Put(ProjectionTable::kState, "late", "l"),
              Delete(ProjectionTable::kState, "gone")});

  // Dropped from memory: read from the store, which has it.
  EXPECT_THAT(*overlay.GetProjection(ProjectionTable::kState, "early"),
              Optional(std::string(300, 'e')));
  EXPECT_EQ(store.reads, 1);
  // Recorded after the overflow: still answered from memory.
  EXPECT_THAT(*overlay.GetProjection(ProjectionTable::kState, "late"),
              Optional(std::string("l")));
  EXPECT_EQ(store.reads, 1);
  // Absent keys are no longer known absent: the store answers.
  EXPECT_EQ(*overlay.GetProjection(ProjectionTable::kState, "gone"),
            std::nullopt);
  EXPECT_EQ(store.reads, 2);
}

TEST(RebuildOverlayTest, ADeleteAfterTheOverflowIsNotAnsweredFromAStaleValue) {
  CountingStore store;
  RebuildOverlay overlay(store, 200);
  WriteChunk(store, overlay, {Put(ProjectionTable::kState, "k", "v1")});
  WriteChunk(store, overlay,
             {Put(ProjectionTable::kState, "big", std::string(300, 'b'))});
  ASSERT_FALSE(overlay.complete());
  WriteChunk(store, overlay, {Put(ProjectionTable::kState, "k", "v2")});
  WriteChunk(store, overlay, {Delete(ProjectionTable::kState, "k")});
  EXPECT_EQ(*overlay.GetProjection(ProjectionTable::kState, "k"),
            std::nullopt);
}

}  // namespace
}  // namespace riskledger::storage
