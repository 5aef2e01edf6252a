// Bad requests through the real server: each case asserts the exact status
// code, the exact google.rpc.BadRequest field paths (and the violated rule
// where one applies), and that nothing reached the log.
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/server_fixture.h"
#include "tests/integration/valid_requests.h"

namespace riskledger::integration {
namespace {

using ::testing::UnorderedElementsAreArray;
using Stub = v1::AssessmentService::Stub;
using Code = grpc::StatusCode;

// Resources every case starts from (see BadInputTest::SetUp).
const std::string kOtherCrm = AssetName(kOtherTenant, "crm");
const std::string kIdentifiedRisk = RiskName(kTenant, "R-2026-0002");

class BadInputTest;

// One bad request: what it sends and how the server must answer.
struct BadInputCase {
  std::string name;
  Code code;
  // The BadRequest field paths, in any order; empty for codes without them.
  std::vector<std::string> fields;
  // The ErrorInfo rule ("M4"), or "" when none is expected.
  std::string rule;
  std::function<grpc::Status(BadInputTest&)> send;
};

void PrintTo(const BadInputCase& c, std::ostream* os) { *os << c.name; }

class BadInputTest : public ServerTest,
                     public ::testing::WithParamInterface<BadInputCase> {
 public:
  template <typename Request, typename Response>
  grpc::Status Send(StubMethod<Request, Response> method,
                    const Request& request) {
    return Call(method, request).status;
  }

  // A page token the server issued for globex's asset list.
  std::string OtherTenantAssetsToken() {
    v1::ListAssetsRequest request;
    request.set_parent(kOtherTenant);
    request.set_page_size(1);
    v1::ListAssetsResponse page = Must(&Stub::ListAssets, request);
    EXPECT_FALSE(page.next_page_token().empty());
    return page.next_page_token();
  }

 protected:
  // Durability is not under test here; unsynced appends keep 130+ server
  // starts fast.
  BadInputTest() { set_sync_writes(false); }

  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    v1::CreateAssetRequest asset;
    asset.set_parent(kTenant);
    asset.set_asset_id("payroll");
    *asset.mutable_asset() = ValidAsset();
    asset.set_request_id("setup-asset");
    Must(&Stub::CreateAsset, asset);
    CreateAsset(kOtherTenant, "crm");
    CreateAsset(kOtherTenant, "erp");
    RecordImpactAnalysis(kPayroll, CategoryScores(3));  // payroll etag 2
    ASSERT_EQ(CreateRisk(kTenant, ValidRisk(kPayroll), "setup-risk").name(),
              kAnalysedRisk);
    AnalyseRisk(kAnalysedRisk, 3, 4);
    ASSERT_EQ(CreateRisk(kTenant, ValidRisk(kPayroll)).name(), kIdentifiedRisk);
    ASSERT_FALSE(HasFailure()) << "setup failed";
  }
};

template <typename Request, typename Response>
BadInputCase Case(std::string name, Code code, std::vector<std::string> fields,
                  StubMethod<Request, Response> method, Request request,
                  std::string rule = "") {
  return BadInputCase{std::move(name), code, std::move(fields), std::move(rule),
                      [method, request](BadInputTest& test) {
                        return test.Send(method, request);
                      }};
}

// --- The cases ---------------------------------------------------------------

std::vector<BadInputCase> AssetCases() {
  const auto create = &Stub::CreateAsset;
  const auto update = &Stub::UpdateAsset;
  const auto base = ValidCreateAsset;
  std::vector<BadInputCase> cases = {
      Case("CreateAssetWithoutDisplayName", Code::INVALID_ARGUMENT,
           {"asset.display_name"}, create,
           With(base(),
                [](auto& r) { r.mutable_asset()->clear_display_name(); })),
      Case("CreateAssetWithBlankDisplayName", Code::INVALID_ARGUMENT,
           {"asset.display_name"}, create,
           With(base(),
                [](auto& r) { r.mutable_asset()->set_display_name(" \t "); })),
      Case("CreateAssetWithoutOwner", Code::INVALID_ARGUMENT, {"asset.owner"},
           create,
           With(base(), [](auto& r) { r.mutable_asset()->clear_owner(); })),
      Case("CreateAssetWithoutAsset", Code::INVALID_ARGUMENT,
           {"asset", "asset.display_name", "asset.owner"}, create,
           With(base(), [](auto& r) { r.clear_asset(); })),
      Case("CreateAssetDisplayName201Chars", Code::INVALID_ARGUMENT,
           {"asset.display_name"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()->set_display_name(Repeat("x", 201));
                })),
      Case("CreateAssetDisplayName201MultibyteChars", Code::INVALID_ARGUMENT,
           {"asset.display_name"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()->set_display_name(Repeat("\xc3\xa9", 201));
                })),
      Case("CreateAssetDescription4001Chars", Code::INVALID_ARGUMENT,
           {"asset.description"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()->set_description(Repeat("d", 4001));
                })),
      Case("CreateAssetInformationSystem201Chars", Code::INVALID_ARGUMENT,
           {"asset.information_system"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()->set_information_system(Repeat("i", 201));
                })),
      Case("CreateAssetOwner201Chars", Code::INVALID_ARGUMENT, {"asset.owner"},
           create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()->set_owner(Repeat("o", 201));
                })),
      Case("CreateAssetDuplicateComponentName", Code::INVALID_ARGUMENT,
           {"asset.components[2].name"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()->add_components()->set_name("database");
                })),
      Case("CreateAssetComponentWithoutName", Code::INVALID_ARGUMENT,
           {"asset.components[2].name"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()->add_components()->set_description(
                      "nameless");
                })),
      Case("CreateAsset101Components", Code::INVALID_ARGUMENT,
           {"asset.components"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()->clear_components();
                  for (int i = 0; i < 101; ++i) {
                    r.mutable_asset()->add_components()->set_name(
                        absl::StrCat("c", i));
                  }
                })),
      Case("CreateAssetUnknownValueLevel", Code::INVALID_ARGUMENT,
           {"asset.value_assessment.confidentiality"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()
                      ->mutable_value_assessment()
                      ->set_confidentiality(static_cast<v1::ValueLevel>(7));
                })),
      Case(
          "CreateAssetUnknownIdentifiability", Code::INVALID_ARGUMENT,
          {"asset.personal_data.identifiability"}, create,
          With(
              base(),
              [](auto& r) {
                r.mutable_asset()->mutable_personal_data()->set_identifiability(
                    static_cast<v1::Identifiability>(9));
              })),
      Case("CreateAssetUnknownProjectSize", Code::INVALID_ARGUMENT,
           {"asset.project_size"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()->set_project_size(
                      static_cast<v1::ProjectSize>(99));
                })),
      Case("CreateAssetNegativeProjectDuration", Code::INVALID_ARGUMENT,
           {"asset.project_duration_months"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_asset()->set_project_duration_months(-1);
                })),
      Case("CreateAssetParentWithoutTenantsCollection", Code::INVALID_ARGUMENT,
           {"parent"}, create,
           With(base(), [](auto& r) { r.set_parent("tenant/x"); })),
      Case("CreateAssetParentUppercaseTenant", Code::INVALID_ARGUMENT,
           {"parent"}, create,
           With(base(), [](auto& r) { r.set_parent("tenants/UPPER"); })),
      Case("CreateAssetParentTooDeep", Code::INVALID_ARGUMENT, {"parent"},
           create,
           With(base(), [](auto& r) { r.set_parent("tenants/acme/assets"); })),
      Case("CreateAssetWithoutParent", Code::INVALID_ARGUMENT, {"parent"},
           create, With(base(), [](auto& r) { r.clear_parent(); })),
      Case("CreateAssetMalformedAssetId", Code::INVALID_ARGUMENT, {"asset_id"},
           create, With(base(), [](auto& r) { r.set_asset_id("Payroll_1"); })),
      Case("CreateAssetAssetId64Chars", Code::INVALID_ARGUMENT, {"asset_id"},
           create,
           With(base(), [](auto& r) { r.set_asset_id(Repeat("a", 64)); })),
      Case("CreateAssetWithoutAssetId", Code::INVALID_ARGUMENT, {"asset_id"},
           create, With(base(), [](auto& r) { r.clear_asset_id(); })),
      Case("CreateAssetRequestId129Chars", Code::INVALID_ARGUMENT,
           {"request_id"}, create,
           With(base(), [](auto& r) { r.set_request_id(Repeat("r", 129)); })),
      Case("CreateAssetRequestIdWithSpace", Code::INVALID_ARGUMENT,
           {"request_id"}, create,
           With(base(), [](auto& r) { r.set_request_id("two words"); })),
      Case("CreateAssetReusedRequestId", Code::INVALID_ARGUMENT, {"request_id"},
           create,
           With(base(), [](auto& r) { r.set_request_id("setup-asset"); })),
      Case("CreateAssetDuplicateAssetId", Code::ALREADY_EXISTS, {}, create,
           With(base(), [](auto& r) { r.set_asset_id("payroll"); })),

      Case("GetAssetMalformedName", Code::INVALID_ARGUMENT, {"name"},
           &Stub::GetAsset,
           With(v1::GetAssetRequest(),
                [](auto& r) { r.set_name("tenants/acme/payroll"); })),
      Case("GetAssetUnknown", Code::NOT_FOUND, {}, &Stub::GetAsset,
           With(v1::GetAssetRequest(),
                [](auto& r) { r.set_name(AssetName(kTenant, "ghost")); })),
      Case("GetAssetOfOtherTenantUnderThisTenant", Code::NOT_FOUND, {},
           &Stub::GetAsset,
           With(v1::GetAssetRequest(),
                [](auto& r) { r.set_name(AssetName(kTenant, "crm")); })),

      Case("ListAssetsGarbagePageToken", Code::INVALID_ARGUMENT, {"page_token"},
           &Stub::ListAssets,
           With(ValidListAssets(),
                [](auto& r) { r.set_page_token("not-a-token!"); })),
      Case("ListAssetsNegativePageSize", Code::INVALID_ARGUMENT, {"page_size"},
           &Stub::ListAssets,
           With(ValidListAssets(), [](auto& r) { r.set_page_size(-1); })),
      Case("ListAssetsMalformedParent", Code::INVALID_ARGUMENT, {"parent"},
           &Stub::ListAssets,
           With(ValidListAssets(), [](auto& r) { r.set_parent("acme"); })),

      Case("UpdateAssetUnknownMaskPath", Code::INVALID_ARGUMENT,
           {"update_mask"}, update,
           With(ValidUpdateAsset(),
                [](auto& r) { r.mutable_update_mask()->add_paths("colour"); })),
      Case("UpdateAssetOutputOnlyMaskPath", Code::INVALID_ARGUMENT,
           {"update_mask"}, update,
           With(ValidUpdateAsset(),
                [](auto& r) {
                  r.mutable_update_mask()->add_paths("create_time");
                })),
      Case("UpdateAssetNothingToUpdate", Code::INVALID_ARGUMENT,
           {"update_mask"}, update,
           With(v1::UpdateAssetRequest(),
                [](auto& r) { r.mutable_asset()->set_name(kPayroll); })),
      Case("UpdateAssetClearsDisplayName", Code::INVALID_ARGUMENT,
           {"asset.display_name"}, update,
           With(ValidUpdateAsset(),
                [](auto& r) { r.mutable_asset()->clear_display_name(); })),
      Case("UpdateAssetDisplayName201Chars", Code::INVALID_ARGUMENT,
           {"asset.display_name"}, update,
           With(ValidUpdateAsset(),
                [](auto& r) {
                  r.mutable_asset()->set_display_name(Repeat("x", 201));
                })),
      Case("UpdateAssetMalformedName", Code::INVALID_ARGUMENT, {"asset.name"},
           update,
           With(ValidUpdateAsset(),
                [](auto& r) {
                  r.mutable_asset()->set_name("tenants/acme/assets/Payroll");
                })),
      Case("UpdateAssetUnknown", Code::NOT_FOUND, {}, update,
           With(ValidUpdateAsset(),
                [](auto& r) {
                  r.mutable_asset()->set_name(AssetName(kTenant, "ghost"));
                })),
      Case("UpdateAssetStaleEtag", Code::ABORTED, {}, update,
           With(ValidUpdateAsset(),
                [](auto& r) { r.mutable_asset()->set_etag("1"); })),
      Case("UpdateAssetMalformedEtag", Code::INVALID_ARGUMENT, {"asset.etag"},
           update,
           With(ValidUpdateAsset(),
                [](auto& r) { r.mutable_asset()->set_etag("W/\"2\""); })),
  };
  cases.push_back(
      BadInputCase{"ListAssetsPageTokenOfOtherTenant",
                   Code::INVALID_ARGUMENT,
                   {"page_token"},
                   "",
                   [](BadInputTest& test) {
                     v1::ListAssetsRequest request = ValidListAssets();
                     request.set_page_token(test.OtherTenantAssetsToken());
                     return test.Send(&Stub::ListAssets, request);
                   }});
  return cases;
}

std::vector<BadInputCase> ImpactAnalysisCases() {
  const auto record = &Stub::RecordImpactAnalysis;
  const auto base = ValidImpactAnalysis;
  // Index 7 is "confidentiality", 8 is "privacy" (DefaultCategoryIds order).
  return {
      Case("ImpactCategoryScore0", Code::INVALID_ARGUMENT, {"scores[7].score"},
           record,
           With(base(), [](auto& r) { r.mutable_scores(7)->set_score(0); })),
      Case("ImpactCategoryScore6", Code::INVALID_ARGUMENT, {"scores[7].score"},
           record,
           With(base(), [](auto& r) { r.mutable_scores(7)->set_score(6); })),
      Case("ImpactMissingCategory", Code::INVALID_ARGUMENT, {"scores"}, record,
           With(base(), [](auto& r) { r.mutable_scores()->RemoveLast(); })),
      Case("ImpactUnknownCategory", Code::INVALID_ARGUMENT,
           {"scores[8].category", "scores"}, record,
           With(base(),
                [](auto& r) { r.mutable_scores(8)->set_category("karma"); })),
      Case("ImpactDuplicateCategory", Code::INVALID_ARGUMENT,
           {"scores[8].category", "scores"}, record,
           With(base(),
                [](auto& r) {
                  r.mutable_scores(8)->set_category("confidentiality");
                })),
      Case("ImpactTenthScore", Code::INVALID_ARGUMENT, {"scores[9].category"},
           record,
           With(base(),
                [](auto& r) {
                  v1::CategoryScore* extra = r.add_scores();
                  extra->set_category("privacy");
                  extra->set_score(2);
                })),
      Case("ImpactNoScores", Code::INVALID_ARGUMENT,
           std::vector<std::string>(9, "scores"), record,
           With(base(), [](auto& r) { r.clear_scores(); })),
      Case("ImpactScoreRationale4001Chars", Code::INVALID_ARGUMENT,
           {"scores[0].rationale"}, record,
           With(base(),
                [](auto& r) {
                  r.mutable_scores(0)->set_rationale(Repeat("r", 4001));
                })),
      Case("ImpactJustification4001Chars", Code::INVALID_ARGUMENT,
           {"justification"}, record,
           With(base(),
                [](auto& r) { r.set_justification(Repeat("j", 4001)); })),
      Case("ImpactMalformedParent", Code::INVALID_ARGUMENT, {"parent"}, record,
           With(base(), [](auto& r) { r.set_parent(kAnalysedRisk); })),
      Case("ImpactUnknownAsset", Code::NOT_FOUND, {}, record,
           With(base(),
                [](auto& r) { r.set_parent(AssetName(kTenant, "ghost")); })),
      Case("ImpactStaleEtag", Code::ABORTED, {}, record,
           With(base(), [](auto& r) { r.set_etag("1"); })),
      Case("ImpactMalformedEtag", Code::INVALID_ARGUMENT, {"etag"}, record,
           With(base(), [](auto& r) { r.set_etag("0"); })),
      Case("ListImpactAnalysesUnknownAsset", Code::NOT_FOUND, {},
           &Stub::ListImpactAnalyses,
           With(v1::ListImpactAnalysesRequest(),
                [](auto& r) { r.set_parent(AssetName(kTenant, "ghost")); })),
      Case("GetImpactAnalysisUnknownNumber", Code::NOT_FOUND, {},
           &Stub::GetImpactAnalysis,
           With(v1::GetImpactAnalysisRequest(),
                [](auto& r) {
                  r.set_name(std::string(kPayroll) + "/impactAnalyses/99");
                })),
      Case("GetImpactAnalysisMalformedNumber", Code::INVALID_ARGUMENT, {"name"},
           &Stub::GetImpactAnalysis,
           With(v1::GetImpactAnalysisRequest(),
                [](auto& r) {
                  r.set_name(std::string(kPayroll) + "/impactAnalyses/01");
                })),
      Case("GetImpactAnalysisOfARisk", Code::INVALID_ARGUMENT, {"name"},
           &Stub::GetImpactAnalysis,
           With(v1::GetImpactAnalysisRequest(),
                [](auto& r) { r.set_name("tenants/acme/risks/R-2026-0001"); })),
      Case("ListImpactAnalysesGarbagePageToken", Code::INVALID_ARGUMENT,
           {"page_token"}, &Stub::ListImpactAnalyses,
           With(v1::ListImpactAnalysesRequest(),
                [](auto& r) {
                  r.set_parent(kPayroll);
                  r.set_page_token("AAAA");
                })),
  };
}

std::vector<BadInputCase> CreateRiskCases() {
  const auto create = &Stub::CreateRisk;
  const auto base = ValidCreateRisk;
  return {
      Case("CreateRiskWithoutVulnerability", Code::INVALID_ARGUMENT,
           {"risk.vulnerability"}, create,
           With(base(),
                [](auto& r) { r.mutable_risk()->clear_vulnerability(); })),
      Case("CreateRiskWithoutThreatActor", Code::INVALID_ARGUMENT,
           {"risk.threat.actor"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_risk()->mutable_threat()->clear_actor();
                })),
      Case(
          "CreateRiskWithoutRiskFactor", Code::INVALID_ARGUMENT,
          {"risk.risk_factor"}, create,
          With(base(), [](auto& r) { r.mutable_risk()->clear_risk_factor(); })),
      Case("CreateRiskWithoutRiskEvent", Code::INVALID_ARGUMENT,
           {"risk.risk_event"}, create,
           With(base(), [](auto& r) { r.mutable_risk()->clear_risk_event(); })),
      Case("CreateRiskWithoutLoss", Code::INVALID_ARGUMENT, {"risk.loss"},
           create,
           With(base(), [](auto& r) { r.mutable_risk()->clear_loss(); })),
      Case("CreateRiskWithoutOwner", Code::INVALID_ARGUMENT, {"risk.owner"},
           create,
           With(base(), [](auto& r) { r.mutable_risk()->clear_owner(); })),
      Case("CreateRiskWithoutSource", Code::INVALID_ARGUMENT, {"risk.source"},
           create,
           With(base(), [](auto& r) { r.mutable_risk()->clear_source(); })),
      Case("CreateRiskUnknownSource", Code::INVALID_ARGUMENT, {"risk.source"},
           create,
           With(base(),
                [](auto& r) {
                  r.mutable_risk()->set_source(static_cast<v1::RiskSource>(99));
                })),
      Case(
          "CreateRiskWithoutAffectedProperties", Code::INVALID_ARGUMENT,
          {"risk.affected_properties"}, create,
          With(base(),
               [](auto& r) { r.mutable_risk()->clear_affected_properties(); })),
      Case("CreateRiskUnknownAffectedProperty", Code::INVALID_ARGUMENT,
           {"risk.affected_properties[0]"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_risk()->clear_affected_properties();
                  r.mutable_risk()->add_affected_properties(
                      static_cast<v1::SecurityProperty>(42));
                })),
      Case("CreateRiskUnspecifiedAffectedProperty", Code::INVALID_ARGUMENT,
           {"risk.affected_properties[2]"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_risk()->add_affected_properties(
                      v1::SECURITY_PROPERTY_UNSPECIFIED);
                })),
      Case("CreateRiskDuplicateAffectedProperty", Code::INVALID_ARGUMENT,
           {"risk.affected_properties[2]"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_risk()->add_affected_properties(
                      v1::SECURITY_PROPERTY_CONFIDENTIALITY);
                })),
      Case("CreateRiskWithoutRisk", Code::INVALID_ARGUMENT,
           {"risk", "risk.asset", "risk.vulnerability", "risk.threat.actor",
            "risk.risk_factor", "risk.risk_event", "risk.loss",
            "risk.affected_properties", "risk.owner", "risk.source"},
           create, With(base(), [](auto& r) { r.clear_risk(); })),
      Case("CreateRiskWithoutAsset", Code::INVALID_ARGUMENT, {"risk.asset"},
           create,
           With(base(), [](auto& r) { r.mutable_risk()->clear_asset(); })),
      Case("CreateRiskMalformedAsset", Code::INVALID_ARGUMENT, {"risk.asset"},
           create,
           With(base(),
                [](auto& r) { r.mutable_risk()->set_asset("payroll"); })),
      Case("CreateRiskAssetOfOtherTenant", Code::INVALID_ARGUMENT,
           {"risk.asset"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_risk()->set_asset(kOtherCrm);
                  r.mutable_risk()->clear_component();
                })),
      Case("CreateRiskUnknownAsset", Code::NOT_FOUND, {}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_risk()->set_asset(AssetName(kTenant, "ghost"));
                })),
      Case("CreateRiskComponentNotInAsset", Code::INVALID_ARGUMENT,
           {"risk.component"}, create,
           With(base(),
                [](auto& r) { r.mutable_risk()->set_component("mainframe"); })),
      Case("CreateRiskVulnerability4001Chars", Code::INVALID_ARGUMENT,
           {"risk.vulnerability"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_risk()->set_vulnerability(Repeat("v", 4001));
                })),
      Case("CreateRiskThreatActor201Chars", Code::INVALID_ARGUMENT,
           {"risk.threat.actor"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_risk()->mutable_threat()->set_actor(
                      Repeat("a", 201));
                })),
      Case(
          "CreateRiskOwner201Chars", Code::INVALID_ARGUMENT, {"risk.owner"},
          create,
          With(base(),
               [](auto& r) { r.mutable_risk()->set_owner(Repeat("o", 201)); })),
      Case("CreateRiskImpactDescription4001Chars", Code::INVALID_ARGUMENT,
           {"risk.impact_description"}, create,
           With(base(),
                [](auto& r) {
                  r.mutable_risk()->set_impact_description(Repeat("i", 4001));
                })),
      Case("CreateRiskBlankExistingControl", Code::INVALID_ARGUMENT,
           {"risk.existing_controls[1]"}, create,
           With(base(),
                [](auto& r) { r.mutable_risk()->add_existing_controls(" "); })),
      Case("CreateRiskParentUppercaseTenant", Code::INVALID_ARGUMENT,
           {"parent"}, create,
           With(base(), [](auto& r) { r.set_parent("tenants/UPPER"); })),
      Case("CreateRiskParentWithoutTenantsCollection", Code::INVALID_ARGUMENT,
           {"parent"}, create,
           With(base(), [](auto& r) { r.set_parent("tenant/acme"); })),
      Case("CreateRiskReusedRequestIdOtherBody", Code::INVALID_ARGUMENT,
           {"request_id"}, create,
           With(base(),
                [](auto& r) {
                  r.set_request_id("setup-risk");
                  r.mutable_risk()->set_owner("mallory");
                })),
  };
}

std::vector<BadInputCase> RiskCases() {
  const auto update = &Stub::UpdateRisk;
  const auto analyse = &Stub::AnalyseRisk;
  const auto adjust = &Stub::AdjustRiskLevel;
  return {
      Case("GetRiskIdNotRiskFormat", Code::INVALID_ARGUMENT, {"name"},
           &Stub::GetRisk,
           With(v1::GetRiskRequest(),
                [](auto& r) { r.set_name("tenants/t/risks/bogus"); })),
      Case("GetRiskShortYear", Code::INVALID_ARGUMENT, {"name"}, &Stub::GetRisk,
           With(v1::GetRiskRequest(),
                [](auto& r) { r.set_name("tenants/acme/risks/R-26-0001"); })),
      Case("GetRiskWithoutName", Code::INVALID_ARGUMENT, {"name"},
           &Stub::GetRisk, v1::GetRiskRequest()),
      Case("GetRiskUnknown", Code::NOT_FOUND, {}, &Stub::GetRisk,
           With(v1::GetRiskRequest(),
                [](auto& r) { r.set_name(RiskName(kTenant, "R-2026-0999")); })),
      Case("GetRiskOfOtherTenant", Code::NOT_FOUND, {}, &Stub::GetRisk,
           With(v1::GetRiskRequest(),
                [](auto& r) {
                  r.set_name(RiskName(kOtherTenant, "R-2026-0001"));
                })),

      Case("UpdateRiskUnknown", Code::NOT_FOUND, {}, update,
           With(ValidUpdateRisk(),
                [](auto& r) {
                  r.mutable_risk()->set_name(RiskName(kTenant, "R-2026-0999"));
                })),
      Case("UpdateRiskMalformedName", Code::INVALID_ARGUMENT, {"risk.name"},
           update,
           With(ValidUpdateRisk(),
                [](auto& r) {
                  r.mutable_risk()->set_name("tenants/acme/risks/bogus");
                })),
      Case("UpdateRiskAssetNotUpdatable", Code::INVALID_ARGUMENT,
           {"update_mask"}, update,
           With(ValidUpdateRisk(),
                [](auto& r) { r.mutable_update_mask()->add_paths("asset"); })),
      Case("UpdateRiskStatusNotUpdatable", Code::INVALID_ARGUMENT,
           {"update_mask"}, update,
           With(ValidUpdateRisk(),
                [](auto& r) { r.mutable_update_mask()->add_paths("status"); })),
      Case("UpdateRiskClearsOwner", Code::INVALID_ARGUMENT, {"risk.owner"},
           update,
           With(ValidUpdateRisk(),
                [](auto& r) { r.mutable_risk()->clear_owner(); })),
      Case("UpdateRiskUnknownSourceImpliedMask", Code::INVALID_ARGUMENT,
           {"risk.source"}, update,
           With(v1::UpdateRiskRequest(),
                [](auto& r) {
                  r.mutable_risk()->set_name(kAnalysedRisk);
                  r.mutable_risk()->set_source(static_cast<v1::RiskSource>(99));
                })),
      Case("UpdateRiskComponentNotInAsset", Code::INVALID_ARGUMENT,
           {"risk.component"}, update,
           With(v1::UpdateRiskRequest(),
                [](auto& r) {
                  r.mutable_risk()->set_name(kAnalysedRisk);
                  r.mutable_risk()->set_component("mainframe");
                })),
      Case("UpdateRiskStaleEtag", Code::ABORTED, {}, update,
           With(ValidUpdateRisk(),
                [](auto& r) { r.mutable_risk()->set_etag("1"); })),
      Case("UpdateRiskJustification4001Chars", Code::INVALID_ARGUMENT,
           {"justification"}, update,
           With(ValidUpdateRisk(),
                [](auto& r) { r.set_justification(Repeat("j", 4001)); })),

      Case("AnalyseRiskImpact0", Code::INVALID_ARGUMENT, {"impact"}, analyse,
           With(ValidAnalyseRisk(), [](auto& r) { r.set_impact(0); })),
      Case("AnalyseRiskImpact6", Code::INVALID_ARGUMENT, {"impact"}, analyse,
           With(ValidAnalyseRisk(), [](auto& r) { r.set_impact(6); })),
      Case("AnalyseRiskLikelihood0", Code::INVALID_ARGUMENT, {"likelihood"},
           analyse,
           With(ValidAnalyseRisk(), [](auto& r) { r.set_likelihood(0); })),
      Case("AnalyseRiskLikelihood6", Code::INVALID_ARGUMENT, {"likelihood"},
           analyse,
           With(ValidAnalyseRisk(), [](auto& r) { r.set_likelihood(6); })),
      Case("AnalyseRiskNoScores", Code::INVALID_ARGUMENT,
           {"impact", "likelihood"}, analyse,
           With(ValidAnalyseRisk(),
                [](auto& r) {
                  r.clear_impact();
                  r.clear_likelihood();
                })),
      Case("AnalyseRiskWithoutImpactRationale", Code::INVALID_ARGUMENT,
           {"impact_rationale"}, analyse,
           With(ValidAnalyseRisk(),
                [](auto& r) { r.clear_impact_rationale(); })),
      Case("AnalyseRiskWithoutLikelihoodRationale", Code::INVALID_ARGUMENT,
           {"likelihood_rationale"}, analyse,
           With(ValidAnalyseRisk(),
                [](auto& r) { r.clear_likelihood_rationale(); })),
      Case("AnalyseRiskUnspecifiedInformationSource", Code::INVALID_ARGUMENT,
           {"information_sources[1]"}, analyse,
           With(ValidAnalyseRisk(),
                [](auto& r) {
                  r.add_information_sources(v1::INFORMATION_SOURCE_UNSPECIFIED);
                })),
      Case("AnalyseRiskUnknownInformationSource", Code::INVALID_ARGUMENT,
           {"information_sources[0]"}, analyse,
           With(ValidAnalyseRisk(),
                [](auto& r) {
                  r.set_information_sources(
                      0, static_cast<v1::InformationSource>(17));
                })),
      Case("AnalyseRiskUncertainty4001Chars", Code::INVALID_ARGUMENT,
           {"uncertainty"}, analyse,
           With(ValidAnalyseRisk(),
                [](auto& r) { r.set_uncertainty(Repeat("u", 4001)); })),
      Case("AnalyseRiskBogusName", Code::INVALID_ARGUMENT, {"name"}, analyse,
           With(ValidAnalyseRisk(),
                [](auto& r) { r.set_name("tenants/t/risks/bogus"); })),
      Case("AnalyseRiskUnknown", Code::NOT_FOUND, {}, analyse,
           With(ValidAnalyseRisk(),
                [](auto& r) { r.set_name(RiskName(kTenant, "R-2026-0999")); })),
      Case("AnalyseRiskStaleEtag", Code::ABORTED, {}, analyse,
           With(ValidAnalyseRisk(), [](auto& r) { r.set_etag("1"); })),
      Case("AnalyseRiskMalformedEtag", Code::INVALID_ARGUMENT, {"etag"},
           analyse,
           With(ValidAnalyseRisk(), [](auto& r) { r.set_etag("two"); })),

      Case("AdjustRiskLevel0", Code::INVALID_ARGUMENT, {"adjusted_level"},
           adjust,
           With(ValidAdjustRiskLevel(),
                [](auto& r) { r.set_adjusted_level(0); })),
      Case("AdjustRiskLevel26", Code::INVALID_ARGUMENT, {"adjusted_level"},
           adjust,
           With(ValidAdjustRiskLevel(),
                [](auto& r) { r.set_adjusted_level(26); })),
      Case("AdjustRiskLevelWithoutRationale", Code::INVALID_ARGUMENT,
           {"rationale"}, adjust,
           With(ValidAdjustRiskLevel(), [](auto& r) { r.clear_rationale(); })),
      Case("AdjustRiskLevelBogusName", Code::INVALID_ARGUMENT, {"name"}, adjust,
           With(ValidAdjustRiskLevel(),
                [](auto& r) { r.set_name("tenants/t/risks/bogus"); })),
      Case("AdjustRiskLevelUnknown", Code::NOT_FOUND, {}, adjust,
           With(ValidAdjustRiskLevel(),
                [](auto& r) { r.set_name(RiskName(kTenant, "R-2026-0999")); })),
      Case("AdjustRiskLevelBeforeAnalysis", Code::FAILED_PRECONDITION, {},
           adjust,
           With(ValidAdjustRiskLevel(),
                [](auto& r) { r.set_name(kIdentifiedRisk); }),
           "M4"),
      Case("AdjustRiskLevelStaleEtag", Code::ABORTED, {}, adjust,
           With(ValidAdjustRiskLevel(), [](auto& r) { r.set_etag("1"); })),
  };
}

std::vector<BadInputCase> ListCases() {
  const auto list = &Stub::ListRisks;
  const auto history = &Stub::ListScoreHistory;
  auto filter = [](const std::string& text) {
    return With(ValidListRisks(), [text](auto& r) { r.set_filter(text); });
  };
  return {
      Case("ListRisksGarbagePageToken", Code::INVALID_ARGUMENT, {"page_token"},
           list,
           With(ValidListRisks(),
                [](auto& r) { r.set_page_token("%%%not-base64"); })),
      Case("ListRisksNegativePageSize", Code::INVALID_ARGUMENT, {"page_size"},
           list, With(ValidListRisks(), [](auto& r) { r.set_page_size(-5); })),
      Case("ListRisksMalformedParent", Code::INVALID_ARGUMENT, {"parent"}, list,
           With(ValidListRisks(), [](auto& r) { r.set_parent("tenants/"); })),
      Case("ListRisksFilterMissingValue", Code::INVALID_ARGUMENT, {"filter"},
           list, filter("owner = ")),
      Case("ListRisksFilterMissingOperator", Code::INVALID_ARGUMENT, {"filter"},
           list, filter("owner \"alice\"")),
      Case("ListRisksFilterOr", Code::INVALID_ARGUMENT, {"filter"}, list,
           filter("owner = \"alice\" OR band = \"high\"")),
      Case("ListRisksFilterUnterminatedString", Code::INVALID_ARGUMENT,
           {"filter"}, list, filter("owner = \"alice")),
      Case("ListRisksFilterEndsWithAnd", Code::INVALID_ARGUMENT, {"filter"},
           list, filter("owner = \"alice\" AND")),
      Case("ListRisksFilterUnknownField", Code::INVALID_ARGUMENT, {"filter"},
           list, filter("colour = \"red\"")),
      Case("ListRisksFilterRepeatedField", Code::INVALID_ARGUMENT, {"filter"},
           list, filter("owner = \"a\" AND owner = \"b\"")),
      Case("ListRisksFilterUnknownStatus", Code::INVALID_ARGUMENT, {"filter"},
           list, filter("status = \"DONE\"")),
      Case("ListRisksFilterUnknownBand", Code::INVALID_ARGUMENT, {"filter"},
           list, filter("band = \"severe\"")),
      Case("ListRisksOrderByLevelDesc", Code::INVALID_ARGUMENT, {"order_by"},
           list,
           With(ValidListRisks(),
                [](auto& r) { r.set_order_by("level desc"); })),
      Case("ListRisksOrderByPriorityDesc", Code::INVALID_ARGUMENT, {"order_by"},
           list,
           With(ValidListRisks(),
                [](auto& r) { r.set_order_by("priority desc"); })),

      Case("ListScoreHistoryTenantParent", Code::INVALID_ARGUMENT, {"parent"},
           history,
           With(ValidListScoreHistory(),
                [](auto& r) { r.set_parent(kTenant); })),
      Case("ListScoreHistoryUnknownRisk", Code::NOT_FOUND, {}, history,
           With(ValidListScoreHistory(),
                [](auto& r) {
                  r.set_parent(RiskName(kTenant, "R-2026-0999"));
                })),
      Case("ListScoreHistoryUnknownAsset", Code::NOT_FOUND, {}, history,
           With(ValidListScoreHistory(),
                [](auto& r) { r.set_parent(AssetName(kTenant, "ghost")); })),
      Case("ListScoreHistoryGarbagePageToken", Code::INVALID_ARGUMENT,
           {"page_token"}, history,
           With(ValidListScoreHistory(),
                [](auto& r) { r.set_page_token("garbage"); })),
      Case("ListScoreHistoryNegativePageSize", Code::INVALID_ARGUMENT,
           {"page_size"}, history,
           With(ValidListScoreHistory(), [](auto& r) { r.set_page_size(-1); })),

      Case("GetMethodologyUnknown", Code::NOT_FOUND, {}, &Stub::GetMethodology,
           With(v1::GetMethodologyRequest(),
                [](auto& r) {
                  r.set_name("tenants/acme/methodologies/oslomet-draft");
                })),
      Case("GetMethodologyMalformedName", Code::INVALID_ARGUMENT, {"name"},
           &Stub::GetMethodology,
           With(v1::GetMethodologyRequest(),
                [](auto& r) { r.set_name("methodologies/default"); })),
  };
}

std::vector<BadInputCase> AllCases() {
  std::vector<BadInputCase> all;
  for (auto* make : {AssetCases, ImpactAnalysisCases, CreateRiskCases,
                     RiskCases, ListCases}) {
    std::vector<BadInputCase> cases = make();
    all.insert(all.end(), cases.begin(), cases.end());
  }
  return all;
}

TEST_P(BadInputTest, IsRejectedPreciselyAndWritesNothing) {
  const BadInputCase& c = GetParam();
  const storage::ChainHead before = LogHead();

  grpc::Status status = c.send(*this);

  EXPECT_EQ(status.error_code(), c.code)
      << "got " << DescribeStatus(status) << ", want " << CodeName(c.code);
  EXPECT_THAT(ViolatedFields(status), UnorderedElementsAreArray(c.fields))
      << DescribeStatus(status);
  EXPECT_EQ(ViolatedRule(status), c.rule) << DescribeStatus(status);
  EXPECT_FALSE(status.error_message().empty());
  if (!status.error_details().empty()) {
    google::rpc::Status rich = RichStatus(status);
    EXPECT_EQ(rich.code(), static_cast<int>(status.error_code()));
    EXPECT_EQ(rich.message(), status.error_message());
  }
  const storage::ChainHead after = LogHead();
  EXPECT_EQ(after.position, before.position) << "the request wrote to the log";
  EXPECT_EQ(after.hash, before.hash);
}

INSTANTIATE_TEST_SUITE_P(
    All, BadInputTest, ::testing::ValuesIn(AllCases()),
    [](const ::testing::TestParamInfo<BadInputCase>& info) {
      return info.param.name;
    });

// The bases the cases start from are valid: sending each succeeds, so every
// rejection above is caused by the one thing its case breaks.
class ValidBaseRequestTest : public BadInputTest {};

TEST_F(ValidBaseRequestTest, EveryBaseRequestSucceeds) {
  EXPECT_TRUE(Send(&Stub::ListAssets, ValidListAssets()).ok());
  EXPECT_TRUE(Send(&Stub::ListRisks, ValidListRisks()).ok());
  EXPECT_TRUE(Send(&Stub::ListScoreHistory, ValidListScoreHistory()).ok());
  for (const std::string& text :
       {"owner = \"alice\"", "band = \"medium\" AND owner = \"alice\"",
        "status = \"RISK_STATUS_ANALYSED\"",
        "asset = \"tenants/acme/assets/payroll\""}) {
    v1::ListRisksRequest request = ValidListRisks();
    request.set_filter(text);
    EXPECT_TRUE(Send(&Stub::ListRisks, request).ok()) << text;
  }
  for (const std::string& order : {"priority", "risk_id"}) {
    v1::ListRisksRequest request = ValidListRisks();
    request.set_order_by(order);
    EXPECT_TRUE(Send(&Stub::ListRisks, request).ok()) << order;
  }
  const int64_t head = LogHead().position;
  auto must_write = [&](const grpc::Status& status, const char* what) {
    EXPECT_TRUE(status.ok()) << what << ": " << DescribeStatus(status);
  };
  must_write(Send(&Stub::CreateAsset, ValidCreateAsset()), "CreateAsset");
  must_write(Send(&Stub::UpdateAsset, ValidUpdateAsset()), "UpdateAsset");
  must_write(Send(&Stub::RecordImpactAnalysis, ValidImpactAnalysis()),
             "RecordImpactAnalysis");
  must_write(Send(&Stub::CreateRisk, ValidCreateRisk()), "CreateRisk");
  must_write(Send(&Stub::UpdateRisk, ValidUpdateRisk()), "UpdateRisk");
  must_write(Send(&Stub::AnalyseRisk, ValidAnalyseRisk()), "AnalyseRisk");
  must_write(Send(&Stub::AdjustRiskLevel, ValidAdjustRiskLevel()),
             "AdjustRiskLevel");
  // CreateRisk writes three events (id assignment, the risk, and the
  // reference to the asset's component).
  EXPECT_EQ(LogHead().position, head + 9);
}

// Limits are inclusive: exactly 200 / 4000 characters (code points) pass.
TEST_F(ValidBaseRequestTest, StringsAtTheLimitAreAccepted) {
  v1::CreateAssetRequest request = ValidCreateAsset();
  request.mutable_asset()->set_display_name(Repeat("\xc3\xa9", 200));
  request.mutable_asset()->set_description(Repeat("d", 4000));
  request.mutable_asset()->set_owner(Repeat("o", 200));
  request.set_request_id(Repeat("r", 128));
  RpcResult<v1::Asset> created = Call(&Stub::CreateAsset, request);
  ASSERT_TRUE(created.ok()) << DescribeStatus(created.status);
  EXPECT_EQ(created.response.display_name(), Repeat("\xc3\xa9", 200));
  request.set_asset_id(Repeat("a", 63));
  request.clear_request_id();
  EXPECT_TRUE(Call(&Stub::CreateAsset, request).ok());

  v1::CreateRiskRequest risk = ValidCreateRisk();
  risk.mutable_risk()->set_vulnerability(Repeat("v", 4000));
  risk.mutable_risk()->mutable_threat()->set_actor(Repeat("a", 200));
  for (int i = 0; i < 100; ++i) {
    risk.mutable_risk()->add_existing_controls(absl::StrCat("control-", i));
  }
  risk.mutable_risk()->mutable_existing_controls()->DeleteSubrange(0, 1);
  EXPECT_TRUE(Call(&Stub::CreateRisk, risk).ok());
}

TEST_F(ValidBaseRequestTest,
       OversizedMessageIsResourceExhaustedAndWritesNothing) {
  v1::CreateAssetRequest request = ValidCreateAsset();
  // Over the server's 4 MiB limit on a request message.
  request.mutable_asset()->set_description(Repeat("d", 5 * 1024 * 1024));
  const storage::ChainHead head = LogHead();
  RpcResult<v1::Asset> created = Call(&Stub::CreateAsset, request);
  EXPECT_EQ(created.status.error_code(), Code::RESOURCE_EXHAUSTED)
      << DescribeStatus(created.status);
  EXPECT_EQ(LogHead().position, head.position);
}

}  // namespace
}  // namespace riskledger::integration
