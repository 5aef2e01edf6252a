// Valid base requests for the bad-input and hostile-input tables: each case
// starts from one of these and breaks exactly one thing. They refer to the
// resources both tables create in SetUp: the asset kPayroll of kTenant and
// its first risk kAnalysedRisk (analysed, etag 2).
#ifndef RISKLEDGER_TESTS_INTEGRATION_VALID_REQUESTS_H_
#define RISKLEDGER_TESTS_INTEGRATION_VALID_REQUESTS_H_

#include <string>

#include "riskledger/v1/assessment_service.pb.h"

namespace riskledger::integration {

// "tenants/acme/assets/payroll" and "tenants/acme/risks/R-2026-0001".
extern const char kPayroll[];
extern const char kAnalysedRisk[];

// `value` after `mutate`.
template <typename T, typename F>
T With(T value, F mutate) {
  mutate(value);
  return value;
}

// Creates asset "new-asset" of kTenant.
v1::CreateAssetRequest ValidCreateAsset();
// Renames kPayroll (mask "display_name").
v1::UpdateAssetRequest ValidUpdateAsset();
// Records an impact analysis of kPayroll (every category 2).
v1::RecordImpactAnalysisRequest ValidImpactAnalysis();
// Creates a risk of kPayroll.
v1::CreateRiskRequest ValidCreateRisk();
// Gives kAnalysedRisk to "bob" (mask "owner").
v1::UpdateRiskRequest ValidUpdateRisk();
// Analyses kAnalysedRisk as 4 × 4 with rationales and a source.
v1::AnalyseRiskRequest ValidAnalyseRisk();
// Adjusts kAnalysedRisk to level 15 with a rationale.
v1::AdjustRiskLevelRequest ValidAdjustRiskLevel();
// Lists kTenant's risks / assets; kAnalysedRisk's score history.
v1::ListRisksRequest ValidListRisks();
v1::ListAssetsRequest ValidListAssets();
v1::ListScoreHistoryRequest ValidListScoreHistory();

}  // namespace riskledger::integration

#endif  // RISKLEDGER_TESTS_INTEGRATION_VALID_REQUESTS_H_
