// Request checks of the assessment mutations, in the order their violations
// are reported.
#include "services/assessment/request_parsing.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "services/assessment/event_mapping.h"
#include "services/assessment/resource_validation.h"
#include "services/base/status_details.h"
#include "services/base/status_macros.h"
#include "services/common/etag.h"
#include "services/common/field_checks.h"
#include "services/common/update_mask.h"
#include "services/domain/risk_analysis.h"
#include "services/domain/scoring.h"
#include "services/domain/screening.h"

namespace riskledger::assessment {
namespace {

const std::set<std::string>& UpdatableAssetFields() {
  static const auto* const kFields =
      new std::set<std::string>{"display_name",
                                "description",
                                "information_system",
                                "components",
                                "owner",
                                "value_assessment",
                                "personal_data",
                                "dpia_required",
                                "project_size",
                                "project_duration_months"};
  return *kFields;
}

const std::set<std::string>& UpdatableRiskFields() {
  static const auto* const kFields =
      new std::set<std::string>{"component",
                                "vulnerability",
                                "threat",
                                "risk_factor",
                                "risk_event",
                                "loss",
                                "affected_properties",
                                "impact_description",
                                "largest_loss",
                                "owner",
                                "existing_controls",
                                "source"};
  return *kFields;
}

std::vector<domain::CategoryScore> ToDomainScores(
    const google::protobuf::RepeatedPtrField<v1::CategoryScore>& scores) {
  std::vector<domain::CategoryScore> out;
  out.reserve(scores.size());
  for (const v1::CategoryScore& score : scores) {
    out.push_back({score.category(), score.score()});
  }
  return out;
}

}  // namespace

absl::StatusOr<CreateAssetInput> ParseCreateAsset(
    const v1::CreateAssetRequest& request) {
  FieldViolationCollector violations;
  absl::StatusOr<TenantName> tenant =
      ParseTenantName(request.parent(), "parent");
  violations.Merge(tenant.status(), "parent");
  if (!IsValidResourceId(request.asset_id())) {
    violations.Add("asset_id", "must match [a-z][a-z0-9-]{0,62}");
  }
  if (!request.has_asset()) violations.Add("asset", "is required");
  ValidateAsset(request.asset(), "asset.", violations);
  CheckRequestId(violations, request.request_id());
  RETURN_IF_ERROR(violations.ToStatus());
  return CreateAssetInput{
      tenant->ToString(),
      AssetName{tenant->tenant, request.asset_id()}.ToString()};
}

absl::StatusOr<UpdateInput> ParseUpdateAsset(
    const v1::UpdateAssetRequest& request) {
  FieldViolationCollector violations;
  absl::StatusOr<AssetName> name =
      ParseAssetName(request.asset().name(), "asset.name");
  violations.Merge(name.status(), "asset.name");
  absl::StatusOr<google::protobuf::FieldMask> mask = ResolveUpdateMask(
      request.asset(), request.update_mask(), UpdatableAssetFields());
  violations.Merge(mask.status(), "update_mask");
  CheckEtagFormat(violations, request.asset().etag(), "asset.etag");
  CheckRequestId(violations, request.request_id());
  RETURN_IF_ERROR(violations.ToStatus());
  return UpdateInput{name->Parent(), name->ToString(), *std::move(mask)};
}

absl::StatusOr<ImpactAnalysisInput> ParseRecordImpactAnalysis(
    const v1::RecordImpactAnalysisRequest& request,
    const domain::Methodology& methodology) {
  FieldViolationCollector violations;
  absl::StatusOr<AssetName> name = ParseAssetName(request.parent(), "parent");
  violations.Merge(name.status(), "parent");
  const int scores_to_check =
      EntriesToCheck(violations, "scores", request.scores_size());
  for (int i = 0; i < scores_to_check; ++i) {
    CheckLength(violations, absl::StrCat("scores[", i, "].category"),
                request.scores(i).category(), kMaxShortText);
    CheckLength(violations, absl::StrCat("scores[", i, "].rationale"),
                request.scores(i).rationale(), kMaxLongText);
  }
  CheckLength(violations, "justification", request.justification(),
              kMaxLongText);
  CheckEtagFormat(violations, request.etag(), "etag");
  CheckRequestId(violations, request.request_id());
  // M2: one valid score per methodology category (screened only when the
  // count is within bounds).
  if (scores_to_check != request.scores_size()) {
    return violations.ToStatus();  // the count is already reported
  }
  violations.Merge(
      domain::ScreenImpact(methodology, ToDomainScores(request.scores()))
          .status(),
      "scores");
  RETURN_IF_ERROR(violations.ToStatus());
  ImpactAnalysisInput input{name->Parent(), name->ToString(), {}};
  input.scores.reserve(request.scores_size());
  for (const v1::CategoryScore& score : request.scores()) {
    input.scores.push_back(ToEvent(score));
  }
  return input;
}

absl::StatusOr<CreateRiskInput> ParseCreateRisk(
    const v1::CreateRiskRequest& request) {
  FieldViolationCollector violations;
  absl::StatusOr<TenantName> tenant =
      ParseTenantName(request.parent(), "parent");
  violations.Merge(tenant.status(), "parent");
  if (!request.has_risk()) violations.Add("risk", "is required");
  ValidateRiskIdentification(request.risk(), "risk.", violations);
  CheckRequestId(violations, request.request_id());
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(AssetName asset,
                   ParseAssetName(request.risk().asset(), "risk.asset"));
  if (asset.tenant != tenant->tenant) {
    return InvalidFieldError("risk.asset",
                             "must belong to the tenant in parent");
  }
  return CreateRiskInput{tenant->ToString(), asset.ToString()};
}

absl::StatusOr<UpdateInput> ParseUpdateRisk(
    const v1::UpdateRiskRequest& request) {
  FieldViolationCollector violations;
  absl::StatusOr<RiskName> name =
      ParseRiskName(request.risk().name(), "risk.name");
  violations.Merge(name.status(), "risk.name");
  absl::StatusOr<google::protobuf::FieldMask> mask = ResolveUpdateMask(
      request.risk(), request.update_mask(), UpdatableRiskFields());
  violations.Merge(mask.status(), "update_mask");
  CheckLength(violations, "justification", request.justification(),
              kMaxLongText);
  CheckEtagFormat(violations, request.risk().etag(), "risk.etag");
  CheckRequestId(violations, request.request_id());
  RETURN_IF_ERROR(violations.ToStatus());
  return UpdateInput{name->Parent(), name->ToString(), *std::move(mask)};
}

absl::StatusOr<AnalyseRiskInput> ParseAnalyseRisk(
    const v1::AnalyseRiskRequest& request,
    const domain::Methodology& methodology) {
  FieldViolationCollector violations;
  absl::StatusOr<RiskName> name = ParseRiskName(request.name(), "name");
  violations.Merge(name.status(), "name");
  // M1/M4: both scores on their scales.
  violations.Merge(
      domain::ValidateScore(methodology.impact, request.impact(), "impact"),
      "impact");
  violations.Merge(domain::ValidateScore(methodology.likelihood,
                                         request.likelihood(), "likelihood"),
                   "likelihood");
  CheckRequiredText(violations, "impact_rationale", request.impact_rationale(),
                    kMaxLongText);
  CheckRequiredText(violations, "likelihood_rationale",
                    request.likelihood_rationale(), kMaxLongText);
  const int sources_to_check = EntriesToCheck(
      violations, "information_sources", request.information_sources_size());
  std::set<int> sources;
  for (int i = 0; i < sources_to_check; ++i) {
    const std::string field = absl::StrCat("information_sources[", i, "]");
    CheckEnum(violations, field, request.information_sources(i),
              v1::InformationSource_IsValid, true);
    if (!sources.insert(request.information_sources(i)).second) {
      violations.Add(field, "appears twice");
    }
  }
  CheckLength(violations, "uncertainty", request.uncertainty(), kMaxLongText);
  CheckEtagFormat(violations, request.etag(), "etag");
  CheckRequestId(violations, request.request_id());
  RETURN_IF_ERROR(violations.ToStatus());
  AnalyseRiskInput input;
  input.target = {name->Parent(), name->ToString()};
  domain::RiskScoring& scoring = input.scoring;
  scoring.impact = request.impact();
  scoring.likelihood = request.likelihood();
  scoring.impact_rationale = request.impact_rationale();
  scoring.likelihood_rationale = request.likelihood_rationale();
  for (int source : request.information_sources()) {
    scoring.information_sources.push_back(
        static_cast<events::v1::InformationSource>(source));
  }
  scoring.uncertainty = request.uncertainty();
  return input;
}

absl::StatusOr<RiskInput> ParseAdjustRiskLevel(
    const v1::AdjustRiskLevelRequest& request,
    const domain::Methodology& methodology) {
  FieldViolationCollector violations;
  absl::StatusOr<RiskName> name = ParseRiskName(request.name(), "name");
  violations.Merge(name.status(), "name");
  CheckRequiredText(violations, "rationale", request.rationale(), kMaxLongText);
  violations.Merge(
      domain::ValidateAdjustedLevel(methodology, request.adjusted_level()),
      "adjusted_level");
  CheckEtagFormat(violations, request.etag(), "etag");
  CheckRequestId(violations, request.request_id());
  RETURN_IF_ERROR(violations.ToStatus());
  return RiskInput{name->Parent(), name->ToString()};
}

}  // namespace riskledger::assessment
