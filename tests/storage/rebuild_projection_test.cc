#include "storage/rebuild_projection.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace riskledger::storage {
namespace {

using ::testing::Optional;

// The store under the view: what its spills wrote, and how often it was
// read.
class CountingStore : public ProjectionLookup {
 public:
  absl::StatusOr<std::optional<std::string>> GetProjection(
      ProjectionTable table, absl::string_view key) override {
    ++reads;
    auto it = values.find({table, std::string(key)});
    if (it == values.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }

  RebuildProjection::BatchWriter Writer() {
    return [this](const std::vector<ProjectionWrite>& writes) {
      ++batches;
      for (const ProjectionWrite& write : writes) {
        if (write.value.has_value()) {
          values[{write.table, write.key}] = *write.value;
        } else {
          values.erase({write.table, write.key});
        }
      }
      return absl::OkStatus();
    };
  }

  std::map<std::pair<ProjectionTable, std::string>, std::string> values;
  int reads = 0;
  int batches = 0;
};

// A decoded value that counts how often it was encoded.
class CountedValue : public DecodedValue {
 public:
  CountedValue(std::string text, int* encodings)
      : text_(std::move(text)), encodings_(encodings) {}
  std::string Encode() const override {
    ++*encodings_;
    return text_;
  }
  size_t ApproximateBytes() const override { return text_.size(); }
  std::string& text() { return text_; }

 private:
  std::string text_;
  int* encodings_;
};

std::unique_ptr<CountedValue> Counted(std::string text, int* encodings) {
  return std::make_unique<CountedValue>(std::move(text), encodings);
}

TEST(RebuildProjectionTest, UntilItSpillsItAnswersEveryReadWithoutTheStore) {
  CountingStore store;
  RebuildProjection view(store, 1 << 20);
  view.Put(ProjectionTable::kState, "risk|1", "a");
  view.Put(ProjectionTable::kIndex, "risk|1", "index");
  view.Put(ProjectionTable::kState, "risk|2", "b");
  view.Put(ProjectionTable::kState, "risk|1", "a2");
  view.Delete(ProjectionTable::kState, "risk|2");

  EXPECT_THAT(*view.Get(ProjectionTable::kState, "risk|1"),
              Optional(std::string("a2")));
  EXPECT_THAT(*view.Get(ProjectionTable::kIndex, "risk|1"),
              Optional(std::string("index")));
  EXPECT_EQ(*view.Get(ProjectionTable::kState, "risk|2"), std::nullopt);
  EXPECT_EQ(*view.Get(ProjectionTable::kIndex, "risk|2"), std::nullopt);
  EXPECT_EQ(*view.Get(ProjectionTable::kState, "never"), std::nullopt);
  EXPECT_TRUE(view.complete());
  EXPECT_EQ(store.reads, 0);
  EXPECT_EQ(store.batches, 0);
}

TEST(RebuildProjectionTest, ADecodedValueIsKeptAsItIsAndEncodedOnceAtTheSpill) {
  CountingStore store;
  RebuildProjection view(store, 1 << 20);
  int encodings = 0;
  view.PutDecoded(ProjectionTable::kState, "risk|1", Counted("v1", &encodings));
  for (int version = 2; version <= 100; ++version) {
    auto* held = dynamic_cast<CountedValue*>(
        view.FindDecoded(ProjectionTable::kState, "risk|1"));
    ASSERT_NE(held, nullptr);
    ASSERT_EQ(held->text(), "v" + std::to_string(version - 1));
    view.PutDecoded(ProjectionTable::kState, "risk|1",
                    Counted("v" + std::to_string(version), &encodings));
  }
  EXPECT_EQ(encodings, 0);
  ASSERT_TRUE(view.Spill(1 << 20, store.Writer()).ok());
  EXPECT_EQ(encodings, 1);
  EXPECT_EQ(store.values.at({ProjectionTable::kState, "risk|1"}), "v100");
}

TEST(RebuildProjectionTest, AValuePutEncodedIsNotHandedOutDecoded) {
  CountingStore store;
  RebuildProjection view(store, 1 << 20);
  int encodings = 0;
  view.PutDecoded(ProjectionTable::kState, "k", Counted("decoded", &encodings));
  view.Put(ProjectionTable::kState, "k", "bytes");
  EXPECT_EQ(view.FindDecoded(ProjectionTable::kState, "k"), nullptr);
  EXPECT_THAT(*view.Get(ProjectionTable::kState, "k"),
              Optional(std::string("bytes")));
  // Read through Get, a decoded value is its encoding.
  view.PutDecoded(ProjectionTable::kState, "k", Counted("again", &encodings));
  EXPECT_THAT(*view.Get(ProjectionTable::kState, "k"),
              Optional(std::string("again")));
  EXPECT_EQ(view.FindDecoded(ProjectionTable::kIndex, "k"), nullptr);
}

TEST(RebuildProjectionTest, PastItsBudgetItIsFullAndSpillsInBatches) {
  CountingStore store;
  RebuildProjection view(store, 1000);
  for (int i = 0; i < 20; ++i) {
    view.Put(ProjectionTable::kState, "key" + std::to_string(i),
             std::string(40, 'v'));
  }
  EXPECT_TRUE(view.full());
  ASSERT_TRUE(view.Spill(200, store.Writer()).ok());
  EXPECT_FALSE(view.full());
  EXPECT_EQ(store.values.size(), 20u);
  EXPECT_GE(store.batches, 4);
}

TEST(RebuildProjectionTest, RewritingOneKeyDoesNotAddUpAgainstTheBudget) {
  CountingStore store;
  RebuildProjection view(store, 1024);
  int encodings = 0;
  for (int i = 0; i < 10000; ++i) {
    view.Put(ProjectionTable::kState, "risk|1", std::string(100, 'v'));
    view.PutDecoded(ProjectionTable::kState, "aggregate|1",
                    Counted(std::string(100, 's'), &encodings));
  }
  EXPECT_FALSE(view.full());
}

TEST(RebuildProjectionTest, AfterASpillItReadsWhatItNoLongerHoldsFromTheStore) {
  CountingStore store;
  RebuildProjection view(store, 200);
  view.Put(ProjectionTable::kState, "early", std::string(300, 'e'));
  view.Put(ProjectionTable::kState, "gone", "g");
  ASSERT_TRUE(view.full());
  ASSERT_TRUE(view.Spill(1 << 20, store.Writer()).ok());
  EXPECT_FALSE(view.complete());
  view.Put(ProjectionTable::kState, "late", "l");
  view.Delete(ProjectionTable::kState, "gone");

  // Spilled: read from the store, which has it.
  EXPECT_THAT(*view.Get(ProjectionTable::kState, "early"),
              Optional(std::string(300, 'e')));
  EXPECT_EQ(store.reads, 1);
  // Written after the spill: answered from memory, a delete included.
  EXPECT_THAT(*view.Get(ProjectionTable::kState, "late"),
              Optional(std::string("l")));
  EXPECT_EQ(*view.Get(ProjectionTable::kState, "gone"), std::nullopt);
  EXPECT_EQ(store.reads, 1);
  // Absent keys are no longer known absent: the store answers.
  EXPECT_EQ(*view.Get(ProjectionTable::kState, "never"), std::nullopt);
  EXPECT_EQ(store.reads, 2);
  // The delete reaches the store with the next spill.
  ASSERT_TRUE(view.Spill(1 << 20, store.Writer()).ok());
  EXPECT_EQ(store.values.count({ProjectionTable::kState, "gone"}), 0u);
  EXPECT_EQ(store.values.at({ProjectionTable::kState, "late"}), "l");
}

TEST(RebuildProjectionTest, BeforeTheFirstSpillADeletedKeyIsForgottenNotSpilled) {
  // An index entry replaced by every event must not pile up as deletes.
  CountingStore store;
  RebuildProjection view(store, 1 << 20);
  for (int i = 0; i < 100; ++i) {
    view.Put(ProjectionTable::kIndex, "priority|" + std::to_string(i), "r");
    view.Delete(ProjectionTable::kIndex, "priority|" + std::to_string(i));
  }
  view.Put(ProjectionTable::kIndex, "priority|last", "r");
  std::vector<ProjectionWrite> spilled;
  ASSERT_TRUE(view
                  .Spill(1 << 20,
                         [&](const std::vector<ProjectionWrite>& writes) {
                           spilled.insert(spilled.end(), writes.begin(),
                                          writes.end());
                           return absl::OkStatus();
                         })
                  .ok());
  ASSERT_EQ(spilled.size(), 1u);
  EXPECT_EQ(spilled[0].key, "priority|last");
}

TEST(RebuildProjectionTest, AFailedBatchStopsTheSpillWithItsError) {
  CountingStore store;
  RebuildProjection view(store, 1 << 20);
  for (int i = 0; i < 10; ++i) {
    view.Put(ProjectionTable::kState, "key" + std::to_string(i), "v");
  }
  int calls = 0;
  absl::Status spilled =
      view.Spill(1, [&](const std::vector<ProjectionWrite>&) {
        ++calls;
        return absl::UnavailableError("disk full");
      });
  EXPECT_EQ(spilled, absl::UnavailableError("disk full"));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace riskledger::storage
