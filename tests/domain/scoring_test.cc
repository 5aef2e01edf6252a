// Tests of services/domain/scoring.h: score validation (M1), level = impact x
// likelihood (M4) and bands (M5 Table 4).
#include "services/domain/scoring.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/base/status_details.h"
#include "services/domain/methodology.h"

namespace riskledger {
namespace domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// M4/M5: expected level and band of every cell, written out from T Table 4
// (rows: impact 1..5, columns: likelihood 1..5). Deliberately literal, not
// computed: cells 15 and 20 follow Table 4 (high, critical), not Table 3.
constexpr int kExpectedLevel[5][5] = {
    {1, 2, 3, 4, 5},      // impact 1
    {2, 4, 6, 8, 10},     // impact 2
    {3, 6, 9, 12, 15},    // impact 3
    {4, 8, 12, 16, 20},   // impact 4
    {5, 10, 15, 20, 25},  // impact 5
};
const char* const kExpectedBand[5][5] = {
    {"very_low", "very_low", "very_low", "very_low", "low"},
    {"very_low", "very_low", "low", "low", "medium"},
    {"very_low", "low", "low", "medium", "high"},
    {"very_low", "low", "medium", "high", "critical"},
    {"low", "medium", "high", "critical", "critical"},
};

TEST(RiskLevelTest, AllCellsOfTheMatrix) {
  const Methodology& m = DefaultMethodology();
  for (int impact = 1; impact <= 5; ++impact) {
    for (int likelihood = 1; likelihood <= 5; ++likelihood) {
      SCOPED_TRACE(testing::Message()
                   << "impact " << impact << " likelihood " << likelihood);
      absl::StatusOr<int> level = RiskLevel(m, impact, likelihood);
      ASSERT_TRUE(level.ok()) << level.status();
      EXPECT_EQ(*level, kExpectedLevel[impact - 1][likelihood - 1]);
      const Band* band = BandForLevel(m, *level);
      ASSERT_NE(band, nullptr);
      EXPECT_EQ(band->id, kExpectedBand[impact - 1][likelihood - 1]);
    }
  }
}

struct BoundaryCase {
  int level;
  const char* band;
};

// M5: both sides of every band limit, and the ends of the range.
TEST(BandForLevelTest, Boundaries) {
  const BoundaryCase kCases[] = {
      {1, "very_low"},  {4, "very_low"},  {5, "low"},   {9, "low"},
      {10, "medium"},   {14, "medium"},   {15, "high"}, {19, "high"},
      {20, "critical"}, {25, "critical"},
  };
  for (const BoundaryCase& c : kCases) {
    const Band* band = BandForLevel(DefaultMethodology(), c.level);
    ASSERT_NE(band, nullptr) << c.level;
    EXPECT_EQ(band->id, c.band) << c.level;
  }
}

TEST(BandForLevelTest, OutsideAllBands) {
  EXPECT_EQ(BandForLevel(DefaultMethodology(), 0), nullptr);
  EXPECT_EQ(BandForLevel(DefaultMethodology(), 26), nullptr);
  EXPECT_EQ(BandForLevel(DefaultMethodology(), -3), nullptr);
}

TEST(MaxRiskLevelTest, DefaultAndOtherShapes) {
  EXPECT_EQ(MaxRiskLevel(DefaultMethodology()), 25);
  Methodology m = DefaultMethodology();
  m.likelihood.levels.resize(3);
  EXPECT_EQ(MaxRiskLevel(m), 15);
}

TEST(ValidateScoreTest, AcceptsEveryScoreOfTheScale) {
  for (int score = 1; score <= 5; ++score) {
    EXPECT_TRUE(
        ValidateScore(DefaultMethodology().impact, score, "impact").ok());
  }
}

TEST(ValidateScoreTest, RejectsOutOfRangeNamingTheField) {
  absl::Status status =
      ValidateScore(DefaultMethodology().likelihood, 7, "risk.likelihood");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(status).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "risk.likelihood");
  EXPECT_EQ(FieldViolationsOf(status)[0].description,
            "must be between 1 and 5 (M1), got 7");
  EXPECT_EQ(ValidateScore(DefaultMethodology().impact, 0, "impact").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateScore(DefaultMethodology().impact, -1, "impact").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ValidateScoreTest, EmptyScale) {
  absl::Status status = ValidateScore(Scale{"empty", {}}, 1, "x");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("has no scores"));
}

TEST(RiskLevelTest, RejectsBadScoresNamingFields) {
  const Methodology& m = DefaultMethodology();
  absl::StatusOr<int> level = RiskLevel(m, 6, 3);
  EXPECT_EQ(level.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(level.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(level.status())[0].field, "impact");

  level = RiskLevel(m, 3, 0);
  ASSERT_EQ(FieldViolationsOf(level.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(level.status())[0].field, "likelihood");
  EXPECT_EQ(FieldViolationsOf(level.status())[0].description,
            "must be between 1 and 5 (M1), got 0");

  level = RiskLevel(m, 0, 9);
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(level.status())) {
    fields.push_back(v.field);
  }
  EXPECT_THAT(fields, ElementsAre("impact", "likelihood"));
}

}  // namespace
}  // namespace domain
}  // namespace riskledger
