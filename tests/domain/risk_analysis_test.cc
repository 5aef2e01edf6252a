// Tests of services/domain/risk_analysis.h: analysis and adjustment (M4) and
// the score diffs recorded in the audit trail (M14).
#include "services/domain/risk_analysis.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/base/status_details.h"
#include "services/domain/methodology.h"

namespace riskledger {
namespace domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

MATCHER_P3(Change, field, before, after, "") {
  return arg.field == field && arg.before == before && arg.after == after;
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

TEST(RiskScoresTest, DefaultIsNotAnalysed) {
  const RiskScores scores;
  EXPECT_FALSE(scores.analysed());
  EXPECT_EQ(scores.effective_level(), 0);
}

TEST(AnalyseRiskTest, ComputesLevel) {
  absl::StatusOr<RiskScores> scores = AnalyseRisk(DefaultMethodology(), 4, 3);
  ASSERT_TRUE(scores.ok()) << scores.status();
  EXPECT_EQ(scores->impact, 4);
  EXPECT_EQ(scores->likelihood, 3);
  EXPECT_EQ(scores->computed_level, 12);
  EXPECT_EQ(scores->adjusted_level, 0);
  EXPECT_TRUE(scores->analysed());
  EXPECT_EQ(scores->effective_level(), 12);
}

TEST(AnalyseRiskTest, RejectsBadScores) {
  absl::StatusOr<RiskScores> scores = AnalyseRisk(DefaultMethodology(), 0, 6);
  EXPECT_EQ(scores.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(scores.status()),
              ElementsAre("impact", "likelihood"));
}

TEST(AdjustRiskLevelTest, KeepsBothLevels) {
  const Methodology& m = DefaultMethodology();
  absl::StatusOr<RiskScores> analysed = AnalyseRisk(m, 2, 2);
  ASSERT_TRUE(analysed.ok());
  absl::StatusOr<RiskScores> adjusted =
      AdjustRiskLevel(m, *analysed, 10, "public exploit published this week");
  ASSERT_TRUE(adjusted.ok()) << adjusted.status();
  EXPECT_EQ(adjusted->computed_level, 4);
  EXPECT_EQ(adjusted->adjusted_level, 10);
  EXPECT_EQ(adjusted->effective_level(), 10);
  EXPECT_EQ(adjusted->impact, 2);
  EXPECT_EQ(adjusted->likelihood, 2);
}

TEST(AdjustRiskLevelTest, AcceptsBothEndsOfTheRange) {
  const Methodology& m = DefaultMethodology();
  const RiskScores analysed = *AnalyseRisk(m, 3, 3);
  EXPECT_EQ(AdjustRiskLevel(m, analysed, 1, "why")->adjusted_level, 1);
  EXPECT_EQ(AdjustRiskLevel(m, analysed, 25, "why")->adjusted_level, 25);
}

TEST(AdjustRiskLevelTest, RejectsBeforeAnalysis) {
  absl::StatusOr<RiskScores> adjusted =
      AdjustRiskLevel(DefaultMethodology(), RiskScores{}, 10, "because");
  EXPECT_EQ(adjusted.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ViolatedRuleOf(adjusted.status()), "M4");
}

TEST(AdjustRiskLevelTest, RejectsMissingRationale) {
  const Methodology& m = DefaultMethodology();
  const RiskScores analysed = *AnalyseRisk(m, 3, 3);
  for (const char* rationale : {"", " ", "\t\n "}) {
    absl::StatusOr<RiskScores> adjusted =
        AdjustRiskLevel(m, analysed, 12, rationale);
    EXPECT_EQ(adjusted.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(ViolatedFields(adjusted.status()), ElementsAre("rationale"));
  }
}

TEST(AdjustRiskLevelTest, RejectsLevelOutsideRange) {
  const Methodology& m = DefaultMethodology();
  const RiskScores analysed = *AnalyseRisk(m, 3, 3);
  for (int level : {0, -1, 26}) {
    absl::StatusOr<RiskScores> adjusted =
        AdjustRiskLevel(m, analysed, level, "reason");
    EXPECT_EQ(adjusted.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(ViolatedFields(adjusted.status()),
                ElementsAre("adjusted_level"));
  }
  absl::StatusOr<RiskScores> adjusted = AdjustRiskLevel(m, analysed, 26, "");
  EXPECT_THAT(ViolatedFields(adjusted.status()),
              ElementsAre("adjusted_level", "rationale"));
  EXPECT_EQ(FieldViolationsOf(adjusted.status())[0].description,
            "must be between 1 and 25 (M4), got 26");
}

TEST(AnalyseRiskTest, NewAnalysisClearsAdjustment) {
  const Methodology& m = DefaultMethodology();
  const RiskScores adjusted =
      *AdjustRiskLevel(m, *AnalyseRisk(m, 2, 2), 9, "x");
  const RiskScores reanalysed = *AnalyseRisk(m, 5, 4);
  EXPECT_EQ(reanalysed.adjusted_level, 0);
  EXPECT_EQ(reanalysed.effective_level(), 20);
  EXPECT_THAT(DiffRiskScores(adjusted, reanalysed),
              ElementsAre(Change("impact", 2, 5), Change("likelihood", 2, 4),
                          Change("computed_level", 4, 20),
                          Change("adjusted_level", 9, 0)));
}

TEST(DiffRiskScoresTest, OnlyChangedFieldsInOrder) {
  const RiskScores none;
  const RiskScores first{3, 4, 12, 0};
  EXPECT_THAT(DiffRiskScores(none, first),
              ElementsAre(Change("impact", 0, 3), Change("likelihood", 0, 4),
                          Change("computed_level", 0, 12)));
  EXPECT_THAT(DiffRiskScores(first, first), IsEmpty());
  const RiskScores adjusted{3, 4, 12, 15};
  EXPECT_THAT(DiffRiskScores(first, adjusted),
              ElementsAre(Change("adjusted_level", 0, 15)));
  const RiskScores likelihood_only{3, 2, 6, 0};
  EXPECT_THAT(
      DiffRiskScores(first, likelihood_only),
      ElementsAre(Change("likelihood", 4, 2), Change("computed_level", 12, 6)));
}

TEST(DiffCategoryScoresTest, ChangedAddedAndRemoved) {
  const std::vector<CategoryScore> before = {
      {"availability", 3}, {"integrity", 2}, {"privacy", 4}};
  const std::vector<CategoryScore> after = {
      {"privacy", 5}, {"confidentiality", 2}, {"availability", 3}};
  EXPECT_THAT(DiffCategoryScores(before, after),
              ElementsAre(Change("impact_categories.privacy", 4, 5),
                          Change("impact_categories.confidentiality", 0, 2),
                          Change("impact_categories.integrity", 2, 0)));
}

TEST(DiffCategoryScoresTest, FirstAnalysisAndNoChange) {
  const std::vector<CategoryScore> scores = {{"availability", 3},
                                             {"integrity", 1}};
  EXPECT_THAT(DiffCategoryScores({}, scores),
              ElementsAre(Change("impact_categories.availability", 0, 3),
                          Change("impact_categories.integrity", 0, 1)));
  EXPECT_THAT(DiffCategoryScores(scores, scores), IsEmpty());
}

}  // namespace
}  // namespace domain
}  // namespace riskledger
