// RecentProjections: what the sequencer's deciding commands read before the
// database — values of groups not yet durable always, durable ones within
// the byte budget (one entry per key), the one durable longest ago forgotten
// first, never a value a later group staged again.
#include "storage/recent_projections.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace riskledger::storage {
namespace {

constexpr ProjectionTable kState = ProjectionTable::kState;
constexpr ProjectionTable kIndex = ProjectionTable::kIndex;
constexpr size_t kOverhead = RecentProjections::kEntryOverheadBytes;

RecentProjections::Key StateKey(const std::string& key) { return {kState, key}; }

// What the decision reads: the held value, or "db" when it must read the
// database.
std::string Read(const RecentProjections& recent, ProjectionTable table,
                 const std::string& key) {
  const std::optional<std::string>* value = recent.Find(table, key);
  if (value == nullptr) return "db";
  return value->has_value() ? **value : "deleted";
}

TEST(RecentProjectionsTest, ValuesNotYetDurableAreHeldWhateverTheBudget) {
  RecentProjections recent(0);
  recent.Stage(StateKey("a"), "1", 1);
  recent.Stage({kIndex, "a"}, std::nullopt, 1);
  EXPECT_EQ(Read(recent, kState, "a"), "1");
  EXPECT_EQ(Read(recent, kIndex, "a"), "deleted");  // tables are apart
  EXPECT_EQ(Read(recent, kState, "b"), "db");
  recent.Settled(1, {StateKey("a"), {kIndex, "a"}});
  EXPECT_EQ(Read(recent, kState, "a"), "db");  // durable, over a budget of 0
  EXPECT_EQ(Read(recent, kIndex, "a"), "db");
  EXPECT_EQ(recent.durable_bytes(), 0u);
}

TEST(RecentProjectionsTest, DurableValuesStayWithinTheBudgetOldestGoingFirst) {
  // Each entry counts its key and value: "k1" + "v1" = 4 bytes.
  RecentProjections recent(2 * (kOverhead + 4));
  for (int i = 1; i <= 3; ++i) {
    const std::string key = "k" + std::to_string(i);
    recent.Stage(StateKey(key), "v" + std::to_string(i), i);
    recent.Settled(i, {StateKey(key)});
  }
  EXPECT_EQ(Read(recent, kState, "k1"), "db");
  EXPECT_EQ(Read(recent, kState, "k2"), "v2");
  EXPECT_EQ(Read(recent, kState, "k3"), "v3");
  EXPECT_EQ(recent.durable_bytes(), 2 * (kOverhead + 4));
}

TEST(RecentProjectionsTest, AKeyStagedAgainKeepsTheLaterValueWhenTheOlderIsEvicted) {
  RecentProjections recent(0);
  recent.Stage(StateKey("risk"), "1", 1);
  recent.Stage(StateKey("risk"), "2", 2);  // group 2 rests on group 1
  recent.Settled(1, {StateKey("risk")});
  // Group 1's write is over the budget, but the key now holds group 2's
  // value, which the database does not have yet.
  EXPECT_EQ(Read(recent, kState, "risk"), "2");
  recent.Settled(2, {StateKey("risk")});
  EXPECT_EQ(Read(recent, kState, "risk"), "db");
}

TEST(RecentProjectionsTest, AHotKeyHoldsOneEntryAndDoesNotPushOutOthers) {
  RecentProjections recent(2 * (kOverhead + 8));
  recent.Stage(StateKey("cold"), "c", 1);
  recent.Settled(1, {StateKey("cold")});
  for (uint64_t group = 2; group < 1002; ++group) {
    recent.Stage(StateKey("hot"), "v" + std::to_string(group % 10), group);
    recent.Settled(group, {StateKey("hot")});
  }
  EXPECT_EQ(Read(recent, kState, "hot"), "v1");
  EXPECT_EQ(Read(recent, kState, "cold"), "c");
  EXPECT_EQ(recent.durable_bytes(), (kOverhead + 5) + (kOverhead + 5));
}

TEST(RecentProjectionsTest, ADurableKeyStagedAgainIsHeldUntilItsGroupSettles) {
  RecentProjections recent(10 * kOverhead);
  recent.Stage(StateKey("risk"), "1", 1);
  recent.Settled(1, {StateKey("risk")});
  recent.Stage(StateKey("risk"), "2", 2);
  EXPECT_EQ(recent.durable_bytes(), 0u);  // not durable again yet
  recent.ForgetDurable();
  EXPECT_EQ(Read(recent, kState, "risk"), "2");
  recent.Settled(2, {StateKey("risk")});
  EXPECT_EQ(Read(recent, kState, "risk"), "2");
  EXPECT_EQ(recent.durable_bytes(), kOverhead + 5);
}

TEST(RecentProjectionsTest, AKeyListedTwiceByAGroupCountsOnce) {
  RecentProjections recent(10 * kOverhead);
  recent.Stage(StateKey("k"), "v", 1);
  recent.Settled(1, {StateKey("k"), StateKey("k")});
  EXPECT_EQ(recent.durable_bytes(), kOverhead + 2);
}

TEST(RecentProjectionsTest, ForgettingDurableValuesKeepsThoseNotYetDurable) {
  RecentProjections recent(10 * kOverhead);
  recent.Stage(StateKey("old"), "1", 1);
  recent.Settled(1, {StateKey("old")});
  recent.Stage(StateKey("new"), "2", 2);
  recent.ForgetDurable();
  EXPECT_EQ(Read(recent, kState, "old"), "db");
  EXPECT_EQ(Read(recent, kState, "new"), "2");
  EXPECT_EQ(recent.durable_bytes(), 0u);
  recent.Clear();
  EXPECT_EQ(Read(recent, kState, "new"), "db");
}

}  // namespace
}  // namespace riskledger::storage
