// Tests of services/domain/screening.h: the M2 screening rule.
#include "services/domain/screening.h"

#include <algorithm>
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

using ::testing::DoubleEq;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

// The nine default category ids, in methodology order.
const std::vector<std::string>& AllCategories() {
  static const auto* const kAll =
      new std::vector<std::string>{"achievement_of_objectives",
                                   "reputational_damage",
                                   "affected_parties",
                                   "legal_obligations",
                                   "accompanying_costs",
                                   "availability",
                                   "integrity",
                                   "confidentiality",
                                   "privacy"};
  return *kAll;
}

// Scores for the nine categories, given in methodology order.
std::vector<CategoryScore> Scores(const std::vector<int>& values) {
  std::vector<CategoryScore> scores;
  for (size_t i = 0; i < values.size(); ++i) {
    scores.push_back({AllCategories()[i], values[i]});
  }
  return scores;
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

struct ScreeningCase {
  const char* name;
  std::vector<int> scores;  // methodology order
  bool required;
  double mean;
  std::vector<std::string> driving;
};

TEST(ScreenImpactTest, Table) {
  const std::vector<ScreeningCase> kCases = {
      {"all ones", {1, 1, 1, 1, 1, 1, 1, 1, 1}, false, 1.0, {}},
      {"all twos", {2, 2, 2, 2, 2, 2, 2, 2, 2}, false, 2.0, {}},
      // Sum 26: mean 2.89, just below 3, no 4 or 5.
      {"mean just below 3", {3, 3, 3, 3, 3, 3, 3, 3, 2}, false, 26.0 / 9, {}},
      // Sum 27: mean exactly 3 triggers, and all categories drive it.
      {"mean exactly 3",
       {3, 3, 3, 3, 3, 3, 3, 3, 3},
       true,
       3.0,
       AllCategories()},
      // A single 4 with a low mean: only that category drives.
      {"single four",
       {1, 1, 1, 1, 1, 4, 1, 1, 1},
       true,
       12.0 / 9,
       {"availability"}},
      {"single five", {1, 1, 1, 1, 1, 1, 1, 1, 5}, true, 13.0 / 9, {"privacy"}},
      // High scores and a high mean: the high categories drive, in order.
      {"fives and fours",
       {5, 3, 3, 3, 3, 3, 4, 3, 3},
       true,
       30.0 / 9,
       {"achievement_of_objectives", "integrity"}},
      {"all fives", {5, 5, 5, 5, 5, 5, 5, 5, 5}, true, 5.0, AllCategories()},
  };
  for (const ScreeningCase& c : kCases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<ScreeningResult> result =
        ScreenImpact(DefaultMethodology(), Scores(c.scores));
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->identification_required, c.required);
    EXPECT_THAT(result->mean_score, DoubleEq(c.mean));
    EXPECT_THAT(result->driving_categories, ElementsAreArray(c.driving));
    EXPECT_THAT(result->reason, HasSubstr("(M2)"));
    EXPECT_THAT(result->reason,
                HasSubstr(c.required ? "is required" : "is not required"));
  }
}

TEST(ScreenImpactTest, ReasonNamesDrivingCategories) {
  absl::StatusOr<ScreeningResult> result =
      ScreenImpact(DefaultMethodology(), Scores({1, 1, 1, 1, 1, 4, 1, 1, 1}));
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->reason, HasSubstr("availability"));
  EXPECT_THAT(result->reason, HasSubstr("4 or more"));
  result =
      ScreenImpact(DefaultMethodology(), Scores({3, 3, 3, 3, 3, 3, 3, 3, 3}));
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->reason, HasSubstr("3.00 is at least 3"));
}

TEST(ScreenImpactTest, OrderOfScoresDoesNotMatter) {
  std::vector<CategoryScore> scores = Scores({2, 4, 2, 2, 2, 2, 2, 5, 2});
  std::reverse(scores.begin(), scores.end());
  absl::StatusOr<ScreeningResult> result =
      ScreenImpact(DefaultMethodology(), scores);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->identification_required);
  // Methodology order, not input order.
  EXPECT_THAT(result->driving_categories,
              ElementsAre("reputational_damage", "confidentiality"));
}

// The thresholds come from the methodology, not from the code.
TEST(ScreenImpactTest, ReadsThresholdsFromMethodology) {
  Methodology m = DefaultMethodology();
  m.screening = ScreeningRule{2.0, 5};
  absl::StatusOr<ScreeningResult> result =
      ScreenImpact(m, Scores({1, 1, 1, 1, 1, 4, 1, 1, 1}));
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->identification_required);
  result = ScreenImpact(m, Scores({2, 2, 2, 2, 2, 2, 2, 2, 2}));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->identification_required);
  EXPECT_THAT(result->driving_categories, ElementsAreArray(AllCategories()));
}

TEST(ScreenImpactTest, RejectsUnknownCategory) {
  std::vector<CategoryScore> scores = Scores({1, 1, 1, 1, 1, 1, 1, 1, 1});
  scores.push_back({"morale", 2});
  absl::StatusOr<ScreeningResult> result =
      ScreenImpact(DefaultMethodology(), scores);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(result.status()),
              ElementsAre("scores[9].category"));
  EXPECT_THAT(FieldViolationsOf(result.status())[0].description,
              HasSubstr("'morale'"));
}

TEST(ScreenImpactTest, RejectsDuplicateCategory) {
  std::vector<CategoryScore> scores = Scores({1, 1, 1, 1, 1, 1, 1, 1, 1});
  scores.push_back({"privacy", 1});
  absl::StatusOr<ScreeningResult> result =
      ScreenImpact(DefaultMethodology(), scores);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(result.status()),
              ElementsAre("scores[9].category"));
  EXPECT_THAT(FieldViolationsOf(result.status())[0].description,
              HasSubstr("duplicate"));
}

TEST(ScreenImpactTest, RejectsMissingCategory) {
  std::vector<CategoryScore> scores = Scores({1, 1, 1, 1, 1, 1, 1, 1, 1});
  scores.erase(scores.begin() + 6);  // integrity
  absl::StatusOr<ScreeningResult> result =
      ScreenImpact(DefaultMethodology(), scores);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(result.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(result.status())[0].field, "scores");
  EXPECT_EQ(FieldViolationsOf(result.status())[0].description,
            "missing category integrity");
}

TEST(ScreenImpactTest, RejectsEmptyScores) {
  absl::StatusOr<ScreeningResult> result =
      ScreenImpact(DefaultMethodology(), {});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(result.status()).size(), 9u);
}

TEST(ScreenImpactTest, RejectsScoresOutsideScaleNamingTheField) {
  std::vector<CategoryScore> scores = Scores({1, 1, 0, 1, 1, 1, 1, 6, 1});
  absl::StatusOr<ScreeningResult> result =
      ScreenImpact(DefaultMethodology(), scores);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(result.status()),
              ElementsAre("scores[2].score", "scores[7].score"));
  EXPECT_EQ(FieldViolationsOf(result.status())[0].description,
            "must be between 1 and 5 (M1), got 0");
  EXPECT_EQ(FieldViolationsOf(result.status())[1].description,
            "must be between 1 and 5 (M1), got 6");
}

TEST(ScreenImpactTest, ReportsAllProblemsAtOnce) {
  std::vector<CategoryScore> scores = {
      {"privacy", 9}, {"privacy", 2}, {"nope", 1}};
  absl::StatusOr<ScreeningResult> result =
      ScreenImpact(DefaultMethodology(), scores);
  std::vector<std::string> fields = ViolatedFields(result.status());
  // 3 + 8 problems; errors list at most kMaxReportedViolations and count
  // the rest.
  ASSERT_EQ(fields.size(), kMaxReportedViolations);
  EXPECT_NE(result.status().message().find("11 problems, the first 10 listed"),
            absl::string_view::npos)
      << result.status();
  EXPECT_EQ(fields[0], "scores[0].score");
  EXPECT_EQ(fields[1], "scores[1].category");
  EXPECT_EQ(fields[2], "scores[2].category");
  EXPECT_EQ(fields[3], "scores");
}

TEST(ScreenImpactTest, RejectsMethodologyWithoutCategories) {
  Methodology m = DefaultMethodology();
  m.impact_categories.clear();
  absl::StatusOr<ScreeningResult> result = ScreenImpact(m, {});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ViolatedRuleOf(result.status()), "M2");
}

}  // namespace
}  // namespace domain
}  // namespace riskledger
