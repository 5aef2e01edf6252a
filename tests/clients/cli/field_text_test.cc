#include "clients/cli/field_text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "riskledger/v1/assessment_service.pb.h"

namespace riskledger::cli {
namespace {

using ::testing::HasSubstr;
using riskledger::v1::Risk;

TEST(FieldTextTest, SetsNestedRepeatedAndEnumFieldsFromText) {
  v1::CreateRiskRequest request;
  ASSERT_TRUE(SetFieldText(request, "risk.threat.actor", "insider").ok());
  ASSERT_TRUE(SetFieldText(request, "risk.affected_properties", "confidentiality, Integrity").ok());
  ASSERT_TRUE(SetFieldText(request, "risk.source", "EXTERNAL").ok());
  ASSERT_TRUE(SetFieldText(request, "risk.existing_controls", "a, with a comma").ok());
  EXPECT_EQ(request.risk().threat().actor(), "insider");
  ASSERT_EQ(request.risk().affected_properties_size(), 2);
  EXPECT_EQ(request.risk().affected_properties(1), v1::SECURITY_PROPERTY_INTEGRITY);
  EXPECT_EQ(request.risk().source(), v1::RISK_SOURCE_EXTERNAL);
  EXPECT_EQ(request.risk().existing_controls(0), "a, with a comma");
}

TEST(FieldTextTest, AnElementOfARepeatedMessageIsItsFieldsInOrder) {
  v1::RecordImpactAnalysisRequest request;
  ASSERT_TRUE(SetFieldText(request, "scores", "privacy:4:names: and salaries").ok());
  EXPECT_EQ(request.scores(0).category(), "privacy");
  EXPECT_EQ(request.scores(0).score(), 4);
  EXPECT_EQ(request.scores(0).rationale(), "names: and salaries");  // the rest
}

TEST(FieldTextTest, BadTextNamesThePathAndWhatItExpected) {
  v1::AnalyseRiskRequest request;
  absl::Status status = SetFieldText(request, "impact", "four");
  EXPECT_THAT(std::string(status.message()), HasSubstr("impact: 'four' is not an integer"));
  v1::CreateRiskRequest create;
  status = SetFieldText(create, "risk.source", "martian");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("'martian' is not one of internal, external"));
  status = SetFieldText(create, "risk.create_time", "yesterday");
  EXPECT_THAT(std::string(status.message()), HasSubstr("RFC 3339"));
}

TEST(FieldTextTest, FieldsReadAsCells) {
  Risk risk;
  risk.add_affected_properties(v1::SECURITY_PROPERTY_AVAILABILITY);
  risk.add_affected_properties(v1::SECURITY_PROPERTY_CONFIDENTIALITY);
  risk.mutable_analysis()->set_level(12);
  risk.mutable_create_time()->set_seconds(1764028800);
  EXPECT_EQ(FieldText(risk, "affected_properties"), "availability, confidentiality");
  EXPECT_EQ(FieldText(risk, "analysis.level"), "12");
  EXPECT_EQ(FieldText(risk, "create_time"), "2025-11-25T00:00:00Z");
  EXPECT_EQ(FieldText(risk, "update_time"), "");
  EXPECT_EQ(FieldText(risk, "status"), "");  // unspecified
}

}  // namespace
}  // namespace riskledger::cli
