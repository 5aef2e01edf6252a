// Tests of services/domain/methodology.h: the default preset's data (M1, M2,
// M5, M7) and ValidateMethodology.
#include "services/domain/methodology.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/base/status_details.h"

namespace riskledger {
namespace domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The fields named by the violations of `status`, in order.
std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

// The description of the violation of `field`, or "" when there is none.
std::string DescriptionOf(const absl::Status& status,
                          const std::string& field) {
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    if (v.field == field) return v.description;
  }
  return "";
}

TEST(DefaultMethodologyTest, IsValid) {
  EXPECT_TRUE(ValidateMethodology(DefaultMethodology()).ok());
}

TEST(DefaultMethodologyTest, IsBuiltOnce) {
  EXPECT_EQ(&DefaultMethodology(), &DefaultMethodology());
}

TEST(DefaultMethodologyTest, Identity) {
  const Methodology& m = DefaultMethodology();
  EXPECT_EQ(m.id, "default");
  EXPECT_EQ(m.id, kDefaultMethodologyId);
  EXPECT_EQ(m.version, 1);
  EXPECT_FALSE(m.display_name.empty());
  EXPECT_THAT(m.source, HasSubstr("Table 4"));
}

// M1: T Table 1.
TEST(DefaultMethodologyTest, ImpactScale) {
  const Scale& s = DefaultMethodology().impact;
  ASSERT_EQ(s.levels.size(), 5u);
  const char* const kNames[] = {"negligible", "minor", "moderate", "major",
                                "critical"};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(s.levels[i].score, i + 1);
    EXPECT_EQ(s.levels[i].name, kNames[i]);
    EXPECT_FALSE(s.levels[i].criterion.empty());
  }
  EXPECT_EQ(s.min_score(), 1);
  EXPECT_EQ(s.max_score(), 5);
}

// M1: T Table 2.
TEST(DefaultMethodologyTest, LikelihoodScale) {
  const Scale& s = DefaultMethodology().likelihood;
  ASSERT_EQ(s.levels.size(), 5u);
  const char* const kNames[] = {"highly unlikely", "unlikely", "possible",
                                "likely", "certain"};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(s.levels[i].score, i + 1);
    EXPECT_EQ(s.levels[i].name, kNames[i]);
    EXPECT_FALSE(s.levels[i].criterion.empty());
  }
  EXPECT_THAT(s.levels[0].criterion, HasSubstr("ten years"));
}

TEST(ScaleTest, FindAndBounds) {
  const Scale& s = DefaultMethodology().likelihood;
  ASSERT_NE(s.Find(3), nullptr);
  EXPECT_EQ(s.Find(3)->name, "possible");
  EXPECT_EQ(s.Find(0), nullptr);
  EXPECT_EQ(s.Find(6), nullptr);
  const Scale empty;
  EXPECT_EQ(empty.min_score(), 0);
  EXPECT_EQ(empty.max_score(), 0);
  EXPECT_EQ(empty.Find(1), nullptr);
}

// M2: the nine Annex 1 categories, in order.
TEST(DefaultMethodologyTest, ImpactCategories) {
  const Methodology& m = DefaultMethodology();
  std::vector<std::string> ids;
  for (const ImpactCategory& c : m.impact_categories) {
    ids.push_back(c.id);
    EXPECT_FALSE(c.name.empty()) << c.id;
    EXPECT_FALSE(c.description.empty()) << c.id;
    EXPECT_EQ(c.criteria.size(), 5u) << c.id;
  }
  EXPECT_THAT(
      ids,
      ElementsAre("achievement_of_objectives", "reputational_damage",
                  "affected_parties", "legal_obligations", "accompanying_costs",
                  "availability", "integrity", "confidentiality", "privacy"));
  const ImpactCategory& parties = m.impact_categories[2];
  EXPECT_THAT(parties.criteria[0], HasSubstr("1-10"));
  EXPECT_THAT(parties.criteria[1], HasSubstr("10-100"));
  EXPECT_THAT(parties.criteria[2], HasSubstr("100-500"));
  EXPECT_THAT(parties.criteria[3], HasSubstr("500-5,000"));
  EXPECT_THAT(parties.criteria[4], HasSubstr("More than 5,000"));
  const ImpactCategory& costs = m.impact_categories[4];
  EXPECT_THAT(costs.criteria[0], HasSubstr("2,000"));
  EXPECT_THAT(costs.criteria[1], HasSubstr("2,000-10,000"));
  EXPECT_THAT(costs.criteria[2], HasSubstr("10,000-50,000"));
  EXPECT_THAT(costs.criteria[3], HasSubstr("50,000-100,000"));
  EXPECT_THAT(costs.criteria[4], HasSubstr("More than 100,000"));
  // M2: integrity 5 adds cryptographic integrity checks.
  EXPECT_THAT(m.impact_categories[6].criteria[4], HasSubstr("cryptographic"));
}

struct ExpectedBand {
  const char* id;
  int min_level;
  int max_level;
  int review_interval_months;
  AcceptanceAuthority authority;
  bool requires_treatment_plan;
  bool requires_top_management_decision;
};

// M5 Table 4, M7.
TEST(DefaultMethodologyTest, BandsFollowTable4) {
  const ExpectedBand kExpected[] = {
      {"very_low", 1, 4, 12, AcceptanceAuthority::kRiskOwner, false, false},
      {"low", 5, 9, 12, AcceptanceAuthority::kRiskOwner, false, false},
      {"medium", 10, 14, 12, AcceptanceAuthority::kRiskOwnerWithJustification,
       false, false},
      {"high", 15, 19, 6, AcceptanceAuthority::kTopManagement, true, false},
      {"critical", 20, 25, 0, AcceptanceAuthority::kTopManagement, true, true},
  };
  const std::vector<Band>& bands = DefaultMethodology().bands;
  ASSERT_EQ(bands.size(), 5u);
  for (size_t i = 0; i < bands.size(); ++i) {
    SCOPED_TRACE(bands[i].id);
    EXPECT_EQ(bands[i].id, kExpected[i].id);
    EXPECT_FALSE(bands[i].name.empty());
    EXPECT_FALSE(bands[i].required_action.empty());
    EXPECT_EQ(bands[i].min_level, kExpected[i].min_level);
    EXPECT_EQ(bands[i].max_level, kExpected[i].max_level);
    EXPECT_EQ(bands[i].review_interval_months,
              kExpected[i].review_interval_months);
    EXPECT_EQ(bands[i].acceptance_authority, kExpected[i].authority);
    EXPECT_EQ(bands[i].requires_treatment_plan,
              kExpected[i].requires_treatment_plan);
    EXPECT_EQ(bands[i].requires_top_management_decision,
              kExpected[i].requires_top_management_decision);
  }
}

// M2 and M7 thresholds live in the data.
TEST(DefaultMethodologyTest, Thresholds) {
  const Methodology& m = DefaultMethodology();
  EXPECT_EQ(m.screening.mean_threshold, 3.0);
  EXPECT_EQ(m.screening.high_score, 4);
  EXPECT_EQ(m.acceptance_level_threshold, 10);
}

// A copy of the default that tests then break.
Methodology Copy() { return DefaultMethodology(); }

TEST(ValidateMethodologyTest, RejectsScaleNotStartingAtOne) {
  Methodology m = Copy();
  for (ScaleLevel& level : m.impact.levels) level.score += 1;  // 2..6
  absl::Status status = ValidateMethodology(m);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(status)[0], "impact.levels[0].score");
  EXPECT_THAT(DescriptionOf(status, "impact.levels[0].score"),
              HasSubstr("expected 1, got 2"));
}

TEST(ValidateMethodologyTest, RejectsScaleWithGap) {
  Methodology m = Copy();
  m.likelihood.levels.erase(m.likelihood.levels.begin() + 2);  // 1,2,4,5
  absl::Status status = ValidateMethodology(m);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      ViolatedFields(status),
      ElementsAre("likelihood.levels[2].score", "likelihood.levels[3].score"));
}

TEST(ValidateMethodologyTest, RejectsEmptyScaleAndMissingTexts) {
  Methodology m = Copy();
  m.likelihood.levels.clear();
  m.impact.levels[1].name = " ";
  m.impact.levels[3].criterion = "";
  absl::Status status = ValidateMethodology(m);
  EXPECT_THAT(ViolatedFields(status),
              ElementsAre("impact.levels[1].name", "impact.levels[3].criterion",
                          "likelihood.levels"));
}

TEST(ValidateMethodologyTest, RejectsGapBetweenBands) {
  Methodology m = Copy();
  m.bands[2].min_level = 11;  // level 10 in no band
  absl::Status status = ValidateMethodology(m);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("bands[2].min_level"));
  EXPECT_THAT(DescriptionOf(status, "bands[2].min_level"),
              HasSubstr("levels 10..10 fall in no band"));
}

TEST(ValidateMethodologyTest, RejectsOverlappingBands) {
  Methodology m = Copy();
  m.bands[3].min_level = 14;  // 14 in medium and high
  absl::Status status = ValidateMethodology(m);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("bands[3].min_level"));
  EXPECT_THAT(DescriptionOf(status, "bands[3].min_level"),
              HasSubstr("overlaps bands[2]"));
}

TEST(ValidateMethodologyTest, RejectsBandsOutOfOrder) {
  Methodology m = Copy();
  std::swap(m.bands[1], m.bands[2]);
  absl::Status status = ValidateMethodology(m);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status),
              ElementsAre("bands[1].min_level", "bands[2].min_level"));
}

TEST(ValidateMethodologyTest, RejectsFirstBandNotAtOne) {
  Methodology m = Copy();
  m.bands[0].min_level = 0;
  absl::Status status = ValidateMethodology(m);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("bands[0].min_level"));
  EXPECT_THAT(DescriptionOf(status, "bands[0].min_level"),
              HasSubstr("must start at level 1"));
}

TEST(ValidateMethodologyTest, RejectsBandsNotReachingMaxLevel) {
  Methodology m = Copy();
  m.bands[4].max_level = 24;
  absl::Status status = ValidateMethodology(m);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("bands[4].max_level"));
  EXPECT_THAT(DescriptionOf(status, "bands[4].max_level"),
              HasSubstr("levels 25..25 fall in no band"));
}

TEST(ValidateMethodologyTest, RejectsBandsBeyondMaxLevel) {
  Methodology m = Copy();
  m.bands[4].max_level = 30;
  absl::Status status = ValidateMethodology(m);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("bands[4].max_level"));
}

TEST(ValidateMethodologyTest, RejectsInvertedBand) {
  Methodology m = Copy();
  m.bands[1].max_level = 4;  // 5..4
  absl::Status status = ValidateMethodology(m);
  EXPECT_THAT(ViolatedFields(status),
              ElementsAre("bands[1].max_level", "bands[2].min_level"));
}

TEST(ValidateMethodologyTest, RejectsEmptyBands) {
  Methodology m = Copy();
  m.bands.clear();
  EXPECT_THAT(ViolatedFields(ValidateMethodology(m)), ElementsAre("bands"));
}

TEST(ValidateMethodologyTest, RejectsBadBandIdsAndIntervals) {
  Methodology m = Copy();
  m.bands[1].id = "very_low";
  m.bands[2].name = "";
  m.bands[3].review_interval_months = 0;  // high needs no decision
  m.bands[0].review_interval_months = -1;
  EXPECT_THAT(ViolatedFields(ValidateMethodology(m)),
              ElementsAre("bands[0].review_interval_months", "bands[1].id",
                          "bands[2].name", "bands[3].review_interval_months"));
}

TEST(ValidateMethodologyTest, RejectsBadCategories) {
  Methodology m = Copy();
  m.impact_categories[1].id = "achievement_of_objectives";  // duplicate
  m.impact_categories[2].id = "Affected Parties";           // not snake_case
  m.impact_categories[3].criteria.pop_back();               // 4 criteria
  m.impact_categories[4].criteria[2] = "";
  m.impact_categories[5].name = "";
  absl::Status status = ValidateMethodology(m);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status),
              ElementsAre("impact_categories[1].id", "impact_categories[2].id",
                          "impact_categories[3].criteria",
                          "impact_categories[4].criteria[2]",
                          "impact_categories[5].name"));
  EXPECT_THAT(DescriptionOf(status, "impact_categories[3].criteria"),
              HasSubstr("(5), got 4"));
}

TEST(ValidateMethodologyTest, RejectsNoCategories) {
  Methodology m = Copy();
  m.impact_categories.clear();
  EXPECT_THAT(ViolatedFields(ValidateMethodology(m)),
              ElementsAre("impact_categories"));
}

TEST(ValidateMethodologyTest, RejectsThresholdsOutsideScales) {
  Methodology m = Copy();
  m.screening.mean_threshold = 5.5;
  m.screening.high_score = 0;
  m.acceptance_level_threshold = 26;
  EXPECT_THAT(ViolatedFields(ValidateMethodology(m)),
              ElementsAre("screening.mean_threshold", "screening.high_score",
                          "acceptance_level_threshold"));
}

// A methodology of another shape (3x4 scales) is valid when its bands and
// criteria follow the scales.
TEST(ValidateMethodologyTest, AcceptsOtherScaleSizes) {
  Methodology m = Copy();
  m.impact.levels.resize(3);
  m.likelihood.levels.resize(4);
  for (ImpactCategory& c : m.impact_categories) c.criteria.resize(3);
  m.bands = {
      {"low", "Low", 1, 3, "accept", 12, AcceptanceAuthority::kRiskOwner, false,
       false},
      {"high", "High", 4, 12, "decide", 0, AcceptanceAuthority::kTopManagement,
       true, true},
  };
  m.screening = ScreeningRule{2.0, 3};
  m.acceptance_level_threshold = 4;
  EXPECT_TRUE(ValidateMethodology(m).ok());
  m.bands[1].max_level = 15;  // 5 x 3 from the default would not fit
  EXPECT_THAT(ViolatedFields(ValidateMethodology(m)),
              ElementsAre("bands[1].max_level"));
}

}  // namespace
}  // namespace domain
}  // namespace riskledger
