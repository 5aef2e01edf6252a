// Valid base requests shared by the bad-input and hostile-input tables.
#include "tests/integration/valid_requests.h"

#include "tests/integration/server_fixture.h"

namespace riskledger::integration {

const char kPayroll[] = "tenants/acme/assets/payroll";
const char kAnalysedRisk[] = "tenants/acme/risks/R-2026-0001";

v1::CreateAssetRequest ValidCreateAsset() {
  v1::CreateAssetRequest request;
  request.set_parent(kTenant);
  request.set_asset_id("new-asset");
  *request.mutable_asset() = ValidAsset();
  return request;
}

v1::UpdateAssetRequest ValidUpdateAsset() {
  v1::UpdateAssetRequest request;
  request.mutable_asset()->set_name(kPayroll);
  request.mutable_asset()->set_display_name("Payroll (renamed)");
  request.mutable_update_mask()->add_paths("display_name");
  return request;
}

v1::RecordImpactAnalysisRequest ValidImpactAnalysis() {
  v1::RecordImpactAnalysisRequest request;
  request.set_parent(kPayroll);
  *request.mutable_scores() = CategoryScores(2);
  request.set_justification("re-assessment");
  return request;
}

v1::CreateRiskRequest ValidCreateRisk() {
  v1::CreateRiskRequest request;
  request.set_parent(kTenant);
  *request.mutable_risk() = ValidRisk(kPayroll);
  return request;
}

v1::UpdateRiskRequest ValidUpdateRisk() {
  v1::UpdateRiskRequest request;
  request.mutable_risk()->set_name(kAnalysedRisk);
  request.mutable_risk()->set_owner("bob");
  request.mutable_update_mask()->add_paths("owner");
  return request;
}

v1::AnalyseRiskRequest ValidAnalyseRisk() {
  v1::AnalyseRiskRequest request;
  request.set_name(kAnalysedRisk);
  request.set_impact(4);
  request.set_likelihood(4);
  request.set_impact_rationale("more users");
  request.set_likelihood_rationale("more phishing");
  request.add_information_sources(v1::INFORMATION_SOURCE_PEER_COMPARISON);
  return request;
}

v1::AdjustRiskLevelRequest ValidAdjustRiskLevel() {
  v1::AdjustRiskLevelRequest request;
  request.set_name(kAnalysedRisk);
  request.set_adjusted_level(15);
  request.set_rationale("a known exploit circulates");
  return request;
}

v1::ListRisksRequest ValidListRisks() {
  v1::ListRisksRequest request;
  request.set_parent(kTenant);
  return request;
}

v1::ListScoreHistoryRequest ValidListScoreHistory() {
  v1::ListScoreHistoryRequest request;
  request.set_parent(kAnalysedRisk);
  return request;
}

v1::ListAssetsRequest ValidListAssets() {
  v1::ListAssetsRequest request;
  request.set_parent(kTenant);
  return request;
}

}  // namespace riskledger::integration
