// The requests of the assessment mutations, checked before anything is read:
// each Parse* reports every bad field at once (INVALID_ARGUMENT with field
// violations) or returns what the command needs, parsed. Rules that need no
// state are the domain's own checks, so each rule has one wording.
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_REQUEST_PARSING_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_REQUEST_PARSING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/field_mask.pb.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/common/resource_names.h"
#include "services/domain/methodology.h"
#include "services/domain/risk.h"

namespace riskledger::assessment {

struct CreateAssetInput {
  std::string tenant;  // "tenants/{t}"
  std::string asset;   // "tenants/{t}/assets/{a}"
};
absl::StatusOr<CreateAssetInput> ParseCreateAsset(
    const v1::CreateAssetRequest& request);

struct UpdateInput {
  std::string tenant;
  std::string name;  // the resource updated
  google::protobuf::FieldMask mask;
};
absl::StatusOr<UpdateInput> ParseUpdateAsset(
    const v1::UpdateAssetRequest& request);
absl::StatusOr<UpdateInput> ParseUpdateRisk(const v1::UpdateRiskRequest& request);

struct ImpactAnalysisInput {
  std::string tenant;
  std::string asset;
  std::vector<events::v1::CategoryScore> scores;
};
// M2: one valid score per category of `methodology`.
absl::StatusOr<ImpactAnalysisInput> ParseRecordImpactAnalysis(
    const v1::RecordImpactAnalysisRequest& request,
    const domain::Methodology& methodology);

struct CreateRiskInput {
  std::string tenant;
  std::string asset;
};
absl::StatusOr<CreateRiskInput> ParseCreateRisk(
    const v1::CreateRiskRequest& request);

struct RiskInput {
  std::string tenant;
  std::string risk;
};
struct AnalyseRiskInput {
  RiskInput target;
  domain::RiskScoring scoring;
};
// M1/M4: both scores on the scales of `methodology`.
absl::StatusOr<AnalyseRiskInput> ParseAnalyseRisk(
    const v1::AnalyseRiskRequest& request,
    const domain::Methodology& methodology);
// M4: a level of `methodology` and a written rationale.
absl::StatusOr<RiskInput> ParseAdjustRiskLevel(
    const v1::AdjustRiskLevelRequest& request,
    const domain::Methodology& methodology);

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_REQUEST_PARSING_H_
