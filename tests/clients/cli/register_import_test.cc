#include "clients/cli/register_import.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace riskledger::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kHeader[] =
    "asset,component,vulnerability,threat_actor,risk_factor,risk_event,loss,"
    "affected_properties,owner,source,existing_controls,impact,likelihood,"
    "impact_rationale,likelihood_rationale\n";
constexpr char kScoredRow[] =
    "payroll,database,v,insider,f,e,l,integrity,bob,internal,a; b,3,2,x,y\n";
constexpr char kUnscoredRow[] =
    "payroll,,v,insider,f,e,l,confidentiality,bob,external,,,,,\n";

RegisterLookups Lookups(int* methodology_calls = nullptr) {
  return {
      [](const std::string& name) -> absl::StatusOr<v1::Asset> {
        if (name != "tenants/acme/assets/payroll") {
          return absl::NotFoundError("asset " + name + " does not exist");
        }
        v1::Asset asset;
        asset.add_components()->set_name("database");
        return asset;
      },
      [methodology_calls]() -> absl::StatusOr<v1::Methodology> {
        if (methodology_calls) ++*methodology_calls;
        v1::Methodology methodology;
        for (int score = 1; score <= 5; ++score) {
          methodology.mutable_impact_scale()->add_levels()->set_score(score);
          methodology.mutable_likelihood_scale()->add_levels()->set_score(score);
        }
        return methodology;
      }};
}

TEST(RegisterImportTest, RowsBecomeRequestsWithIdsFromTheirContent) {
  auto rows = ReadRegister(std::string(kHeader) + kScoredRow + kUnscoredRow, "tenants/acme");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  const RegisterRow& scored = (*rows)[0];
  EXPECT_THAT(scored.problems, IsEmpty());
  EXPECT_EQ(scored.line, 2);
  EXPECT_EQ(scored.create.risk().asset(), "tenants/acme/assets/payroll");
  EXPECT_THAT(scored.create.risk().existing_controls(), ElementsAre("a", "b"));
  ASSERT_TRUE(scored.analyse.has_value());
  EXPECT_EQ(scored.analyse->impact(), 3);
  EXPECT_FALSE((*rows)[1].analyse.has_value());
  // The same row, read again (another run), has the same request ids; another row not.
  auto again = ReadRegister(std::string(kHeader) + kScoredRow, "tenants/acme");
  EXPECT_EQ((*again)[0].create.request_id(), scored.create.request_id());
  EXPECT_EQ((*again)[0].analyse->request_id(), scored.analyse->request_id());
  EXPECT_NE((*rows)[1].create.request_id(), scored.create.request_id());
  EXPECT_LE(scored.create.request_id().size(), 128u);
}

TEST(RegisterImportTest, TheServersOwnRulesRejectARow) {
  auto rows = ReadRegister(
      std::string(kHeader) + "payroll,,v,insider,f,e,l,,,internal,,,,,\n", "tenants/acme");
  ASSERT_TRUE(rows.ok());
  EXPECT_THAT((*rows)[0].problems,
              ElementsAre(HasSubstr("risk.affected_properties: needs at least one"),
                          HasSubstr("risk.owner: is required")));
}

TEST(RegisterImportTest, CellsThatDoNotConvertAndRepeatedRowsAreRejected) {
  auto rows = ReadRegister(std::string(kHeader) + kScoredRow + kScoredRow +
                               "payroll,,v,a,f,e,l,luck,bob,internal,,three,2,x,y\n",
                           "tenants/acme");
  ASSERT_TRUE(rows.ok());
  EXPECT_THAT((*rows)[1].problems, ElementsAre("repeats line 2"));
  EXPECT_THAT((*rows)[2].problems,
              ElementsAre(HasSubstr("affected_properties: "), HasSubstr("impact: 'three'"),
                          HasSubstr("risk.affected_properties")));
}

TEST(RegisterImportTest, TheFileMustNameKnownColumnsOnce) {
  EXPECT_THAT(std::string(ReadRegister("asset,colour\n", "tenants/acme").status().message()),
              HasSubstr("unknown column 'colour'"));
  EXPECT_THAT(std::string(ReadRegister("owner,Owner\n", "tenants/acme").status().message()),
              HasSubstr("column 'owner' appears twice"));
  EXPECT_FALSE(ReadRegister("", "tenants/acme").ok());
}

TEST(RegisterImportTest, TheServersStateRejectsUnknownAssetsComponentsAndScores) {
  auto rows = ReadRegister(std::string(kHeader) + kScoredRow +
                               "payroll,kitchen,v,a,f,e,l,integrity,bob,internal,,9,2,,y\n"
                               "nowhere,,v,a,f,e,l,integrity,bob,internal,,,,,\n",
                           "tenants/acme");
  ASSERT_TRUE(rows.ok());
  int methodology_calls = 0;
  ASSERT_TRUE(CheckAgainstServer(*rows, Lookups(&methodology_calls)).ok());
  EXPECT_THAT((*rows)[0].problems, IsEmpty());
  EXPECT_THAT((*rows)[1].problems,
              ElementsAre(HasSubstr("component: asset tenants/acme/assets/payroll has no "
                                    "component 'kitchen'"),
                          HasSubstr("impact: 9 is not on"),
                          HasSubstr("impact_rationale: is required")));
  EXPECT_THAT((*rows)[2].problems, ElementsAre(HasSubstr("asset: asset tenants/acme/assets/nowhere")));
  EXPECT_EQ(methodology_calls, 1);
}

}  // namespace
}  // namespace riskledger::cli
