// Tests of services/domain/priority.h: the M6 order and its byte key.
#include "services/domain/priority.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace riskledger {
namespace domain {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Ids(const std::vector<PriorityKey>& keys) {
  std::vector<std::string> ids;
  ids.reserve(keys.size());
  for (const PriorityKey& k : keys) ids.push_back(k.risk_id);
  return ids;
}

// memcmp order, spelled out so the test does not rely on std::string.
bool BytesLess(const std::string& a, const std::string& b) {
  const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  return c < 0 || (c == 0 && a.size() < b.size());
}

TEST(HasHigherPriorityTest, HigherLevelFirst) {
  const PriorityKey a{16, 4, 4, "R-2026-0009"};
  const PriorityKey b{15, 5, 3, "R-2026-0001"};
  EXPECT_TRUE(HasHigherPriority(a, b));
  EXPECT_FALSE(HasHigherPriority(b, a));
}

// M6: equal levels, higher impact first (3x4 vs 4x3).
TEST(HasHigherPriorityTest, EqualLevelHigherImpactFirst) {
  const PriorityKey impact3{12, 3, 4, "R-2026-0001"};
  const PriorityKey impact4{12, 4, 3, "R-2026-0002"};
  EXPECT_TRUE(HasHigherPriority(impact4, impact3));
  EXPECT_FALSE(HasHigherPriority(impact3, impact4));
}

// Documented tie-break: likelihood desc (possible with adjusted levels).
TEST(HasHigherPriorityTest, EqualLevelAndImpactHigherLikelihoodFirst) {
  const PriorityKey a{12, 3, 4, "R-2026-0002"};  // computed 12
  const PriorityKey b{12, 3, 3, "R-2026-0001"};  // 9, adjusted to 12
  EXPECT_TRUE(HasHigherPriority(a, b));
  EXPECT_FALSE(HasHigherPriority(b, a));
}

TEST(HasHigherPriorityTest, FullTieOrdersIdsNumerically) {
  // A fifth digit does not make R-2026-10000 sort before R-2026-9999.
  const PriorityKey earlier{12, 4, 3, "R-2026-9999"};
  const PriorityKey later{12, 4, 3, "R-2026-10000"};
  EXPECT_TRUE(HasHigherPriority(earlier, later));
  EXPECT_FALSE(HasHigherPriority(later, earlier));
  EXPECT_LT(PrioritySortKey(earlier), PrioritySortKey(later));
  EXPECT_TRUE(
      HasHigherPriority({12, 4, 3, "R-2025-99999"}, {12, 4, 3, "R-2026-0001"}));
}

TEST(HasHigherPriorityTest, FullTieOrderedById) {
  const PriorityKey a{12, 4, 3, "R-2026-0001"};
  const PriorityKey b{12, 4, 3, "R-2026-0002"};
  EXPECT_TRUE(HasHigherPriority(a, b));
  EXPECT_FALSE(HasHigherPriority(b, a));
  EXPECT_FALSE(HasHigherPriority(a, a));  // irreflexive
}

TEST(HasHigherPriorityTest, UnanalysedAfterAnalysed) {
  const PriorityKey analysed{1, 1, 1, "R-2026-0099"};
  const PriorityKey unanalysed{0, 0, 0, "R-2026-0001"};
  EXPECT_TRUE(HasHigherPriority(analysed, unanalysed));
  EXPECT_FALSE(HasHigherPriority(unanalysed, analysed));
}

TEST(HasHigherPriorityTest, SortsAShuffledRegister) {
  std::vector<PriorityKey> keys = {
      {25, 5, 5, "R-2026-0010"}, {20, 5, 4, "R-2026-0004"},
      {20, 4, 5, "R-2026-0003"}, {12, 4, 3, "R-2026-0007"},
      {12, 4, 3, "R-2026-0008"}, {12, 3, 4, "R-2026-0001"},
      {12, 2, 6, "R-2026-0012"}, {5, 1, 5, "R-2026-0005"},
      {4, 2, 2, "R-2026-0002"},  {4, 1, 4, "R-2026-0011"},
      {0, 0, 0, "R-2026-0006"},  {0, 0, 0, "R-2026-0009"},
  };
  std::mt19937 rng(20260101);  // fixed seed: hermetic
  for (int round = 0; round < 20; ++round) {
    std::shuffle(keys.begin(), keys.end(), rng);
    std::sort(keys.begin(), keys.end(), HasHigherPriority);
    EXPECT_THAT(Ids(keys),
                ElementsAre("R-2026-0010", "R-2026-0004", "R-2026-0003",
                            "R-2026-0007", "R-2026-0008", "R-2026-0001",
                            "R-2026-0012", "R-2026-0005", "R-2026-0002",
                            "R-2026-0011", "R-2026-0006", "R-2026-0009"));
  }
}

TEST(PrioritySortKeyTest, Format) {
  EXPECT_EQ(PrioritySortKey({12, 4, 3, "R-2026-0042"}),
            "7ffffff37ffffffb7ffffffcR-2026-0000000000000000042");
  EXPECT_EQ(PrioritySortKey({0, 0, 0, ""}), "7fffffff7fffffff7fffffff");
}

// A generated set: every impact x likelihood with computed and adjusted
// levels, unanalysed risks, and ids that are prefixes of one another.
std::vector<PriorityKey> GeneratedKeys() {
  std::vector<PriorityKey> keys;
  const char* const kIds[] = {"R-2026-0001", "R-2026-0002", "R-2026-10000",
                              "R-2026-1000", "R-2027-0001"};
  for (int impact = 1; impact <= 5; ++impact) {
    for (int likelihood = 1; likelihood <= 5; ++likelihood) {
      for (int adjusted : {0, 1, 13, 25}) {
        for (int i = (impact + likelihood) % 2; i < 5; i += 2) {
          keys.push_back({adjusted > 0 ? adjusted : impact * likelihood, impact,
                          likelihood, kIds[i]});
        }
      }
    }
  }
  for (const char* id : kIds) keys.push_back({0, 0, 0, id});
  return keys;
}

TEST(PrioritySortKeyTest, AgreesWithHasHigherPriorityForAllPairs) {
  const std::vector<PriorityKey> keys = GeneratedKeys();
  ASSERT_GT(keys.size(), 200u);
  for (const PriorityKey& a : keys) {
    const std::string key_a = PrioritySortKey(a);
    for (const PriorityKey& b : keys) {
      const std::string key_b = PrioritySortKey(b);
      ASSERT_EQ(BytesLess(key_a, key_b), HasHigherPriority(a, b))
          << key_a << " vs " << key_b;
    }
  }
}

TEST(PrioritySortKeyTest, UnanalysedSortAfterAllAnalysed) {
  const std::string unanalysed = PrioritySortKey({0, 0, 0, "R-2026-0001"});
  for (const PriorityKey& k : GeneratedKeys()) {
    if (k.level == 0) continue;
    EXPECT_TRUE(BytesLess(PrioritySortKey(k), unanalysed)) << k.risk_id;
  }
}

TEST(PrioritySortKeyTest, ExtremeValuesKeepTheOrder) {
  const PriorityKey high{INT32_MAX, 0, 0, "a"};
  const PriorityKey low{INT32_MIN, 0, 0, "a"};
  const PriorityKey zero{0, 0, 0, "a"};
  EXPECT_TRUE(BytesLess(PrioritySortKey(high), PrioritySortKey(zero)));
  EXPECT_TRUE(BytesLess(PrioritySortKey(zero), PrioritySortKey(low)));
  EXPECT_TRUE(HasHigherPriority(high, zero));
  EXPECT_TRUE(HasHigherPriority(zero, low));
}

}  // namespace
}  // namespace domain
}  // namespace riskledger
