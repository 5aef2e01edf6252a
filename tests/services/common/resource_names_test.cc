// Tests of resource-name parsing (AIP-122).
#include "services/common/resource_names.h"

#include "gtest/gtest.h"
#include "services/base/status_details.h"

namespace riskledger {
namespace {

TEST(ResourceNamesTest, ParsesAndFormatsEachKind) {
  absl::StatusOr<AssetName> asset =
      ParseAssetName("tenants/acme/assets/hr-db", "name");
  ASSERT_TRUE(asset.ok());
  EXPECT_EQ(asset->tenant, "acme");
  EXPECT_EQ(asset->asset, "hr-db");
  EXPECT_EQ(asset->ToString(), "tenants/acme/assets/hr-db");
  EXPECT_EQ(asset->Parent(), "tenants/acme");

  absl::StatusOr<RiskName> risk =
      ParseRiskName("tenants/acme/risks/R-2026-0042", "name");
  ASSERT_TRUE(risk.ok());
  EXPECT_EQ(risk->risk_id, "R-2026-0042");
  EXPECT_EQ(ParseTenantName("tenants/acme", "parent")->tenant, "acme");
}

TEST(ResourceNamesTest, RejectsMalformedNamesNamingTheField) {
  for (const char* bad : {"", "tenant/acme", "tenants/Acme", "tenants/acme/",
                          "tenants/1acme", "tenants/acme/x"}) {
    absl::Status status = ParseTenantName(bad, "parent").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    ASSERT_EQ(FieldViolationsOf(status).size(), 1u) << bad;
    EXPECT_EQ(FieldViolationsOf(status)[0].field, "parent") << bad;
  }
  EXPECT_FALSE(ParseAssetName("tenants/acme/risks/a", "name").ok());
  EXPECT_FALSE(ParseAssetName("tenants/acme/assets/a/b", "name").ok());
  EXPECT_FALSE(ParseRiskName("tenants/acme/risks/bogus", "name").ok());
  EXPECT_FALSE(ParseRiskName("tenants/acme/risks/R-26-0001", "name").ok());
}

TEST(ResourceNamesTest, ImpactAnalysisAndMethodologyNames) {
  absl::StatusOr<ImpactAnalysisResourceName> analysis = ParseImpactAnalysisName(
      "tenants/acme/assets/hr/impactAnalyses/12", "name");
  ASSERT_TRUE(analysis.ok()) << analysis.status();
  EXPECT_EQ(analysis->asset.ToString(), "tenants/acme/assets/hr");
  EXPECT_EQ(analysis->number, 12);
  for (const char* bad : {"tenants/acme/assets/hr/impactAnalyses/0",
                          "tenants/acme/assets/hr/impactAnalyses/07",
                          "tenants/acme/assets/hr/impactAnalyses/x",
                          "tenants/acme/assets/hr/impactAnalyses/",
                          "tenants/acme/assets/hr/analyses/1"}) {
    EXPECT_EQ(ParseImpactAnalysisName(bad, "name").status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  absl::StatusOr<MethodologyResourceName> methodology =
      ParseMethodologyName("tenants/acme/methodologies/default", "name");
  ASSERT_TRUE(methodology.ok());
  EXPECT_EQ(methodology->Parent(), "tenants/acme");
  EXPECT_EQ(methodology->methodology, "default");
  EXPECT_FALSE(ParseMethodologyName("methodologies/default", "name").ok());
}

TEST(ResourceNamesTest, IdsFollowTheDocumentedPattern) {
  EXPECT_TRUE(IsValidResourceId("a"));
  EXPECT_TRUE(IsValidResourceId("a-1"));
  EXPECT_TRUE(IsValidResourceId(std::string(63, 'a')));
  EXPECT_FALSE(IsValidResourceId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidResourceId("a_b"));
  EXPECT_FALSE(IsValidResourceId("-a"));
}

}  // namespace
}  // namespace riskledger
