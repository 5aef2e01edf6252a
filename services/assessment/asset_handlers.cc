// Asset use cases: register, read, list, update, and impact analysis (M2, M11).
#include <set>

#include "absl/strings/str_cat.h"
#include "services/assessment/assessment_handlers.h"
#include "services/assessment/event_mapping.h"
#include "services/assessment/handler_support.h"
#include "services/assessment/methodology_proto.h"
#include "services/assessment/projection_keys.h"
#include "services/assessment/resource_validation.h"
#include "services/common/field_checks.h"
#include "services/common/page_token.h"
#include "services/common/resource_names.h"
#include "services/common/update_mask.h"
#include "services/domain/asset.h"
#include "services/domain/component_usage.h"
#include "services/domain/field_changes.h"
#include "services/domain/screening.h"

namespace riskledger::assessment {
namespace {

using storage::ProjectionTable;
using storage::ProjectionView;

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

AssessmentHandlers::AssessmentHandlers(const CommandRunner& runner,
                                       const domain::Methodology& methodology,
                                       PageTokenCodec page_tokens)
    : runner_(runner),
      store_(runner.store()),
      methodology_(methodology),
      page_tokens_(std::move(page_tokens)) {}

absl::StatusOr<v1::Methodology> AssessmentHandlers::GetMethodology(
    const v1::GetMethodologyRequest& request) const {
  ASSIGN_OR_RETURN(MethodologyResourceName name,
                   ParseMethodologyName(request.name(), "name"));
  if (name.methodology != methodology_.id) {
    return absl::NotFoundError(absl::StrCat(
        "methodology '", request.name(), "' does not exist; available: ",
        MethodologyName(methodology_, name.Parent())));
  }
  return ToProto(methodology_, name.Parent());
}

absl::StatusOr<v1::Asset> AssessmentHandlers::CreateAsset(
    const CallContext& call, const v1::CreateAssetRequest& request) const {
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

  const std::string name =
      AssetName{tenant->tenant, request.asset_id()}.ToString();
  return runner_.Run<v1::Asset>(
      MakeCommandContext(call, request.parent(), {name}),
      [&](CommandPlan& plan) -> absl::Status {
        ASSIGN_OR_RETURN(auto asset, plan.Load<domain::AssetAggregate>(name));
        ASSIGN_OR_RETURN(auto events,
                         domain::DecideRegisterAsset(
                             asset, name, AttributesOf(request.asset())));
        plan.Record(name, asset.version, events);
        return absl::OkStatus();
      },
      ModelAt<v1::Asset>(AssetKey(name)));
}

absl::StatusOr<v1::Asset> AssessmentHandlers::GetAsset(
    const v1::GetAssetRequest& request) const {
  ASSIGN_OR_RETURN(AssetName name, ParseAssetName(request.name(), "name"));
  return LoadExisting<v1::Asset>(store_, AssetKey(name.ToString()), "asset",
                                 request.name());
}

absl::StatusOr<v1::ListAssetsResponse> AssessmentHandlers::ListAssets(
    const v1::ListAssetsRequest& request) const {
  FieldViolationCollector violations;
  violations.Merge(ParseTenantName(request.parent(), "parent").status(),
                   "parent");
  int page_size = EffectivePageSize(request.page_size(), violations);
  RETURN_IF_ERROR(violations.ToStatus());
  const std::string query = absl::StrCat("assets|", request.parent());
  ASSIGN_OR_RETURN(std::string resume,
                   page_tokens_.Decode(request.page_token(), query));

  ASSIGN_OR_RETURN(std::unique_ptr<storage::ProjectionReader> snapshot,
                   store_.SnapshotProjections());
  ASSIGN_OR_RETURN(
      ScannedPage<v1::Asset> page,
      ScanPage<v1::Asset>(*snapshot, ProjectionTable::kState,
                          AssetKeyPrefix(request.parent()), resume, page_size,
                          [](const std::string& key, const std::string& value)
                              -> absl::StatusOr<std::optional<v1::Asset>> {
                            v1::Asset asset;
                            if (!asset.ParseFromString(value)) {
                              return absl::DataLossError(absl::StrCat(
                                  "read model '", key, "' is corrupt"));
                            }
                            return std::optional<v1::Asset>(std::move(asset));
                          }));
  v1::ListAssetsResponse response;
  for (v1::Asset& asset : page.items) *response.add_assets() = std::move(asset);
  if (!page.next_resume_key.empty()) {
    ASSIGN_OR_RETURN(std::string token,
                     page_tokens_.Encode(query, page.next_resume_key));
    response.set_next_page_token(std::move(token));
  }
  return response;
}

absl::StatusOr<v1::Asset> AssessmentHandlers::UpdateAsset(
    const CallContext& call, const v1::UpdateAssetRequest& request) const {
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

  const std::string asset_name = name->ToString();
  auto decide = [&](CommandPlan& plan) -> absl::Status {
    ASSIGN_OR_RETURN(auto asset, LoadAtEtag<domain::AssetAggregate>(
                                     plan, asset_name, "asset",
                                     request.asset().etag(), "asset.etag"));
    v1::Asset after;
    after.set_name(asset_name);
    SetAttributes(asset.state.attributes(), after);
    ApplyUpdateMask(request.asset(), *mask, &after);
    FieldViolationCollector merged_violations;
    ValidateAsset(after, "asset.", merged_violations);
    RETURN_IF_ERROR(merged_violations.ToStatus());
    const domain::AssetChange change =
        domain::ChangeOf(TopLevelFields(mask->paths()), AttributesOf(after));
    // M3: removing components expects the usage seen by the decision.
    const std::string usage_stream = ComponentReferencesStream(asset_name);
    ASSIGN_OR_RETURN(auto usage,
                     plan.Load<domain::ComponentUsageAggregate>(usage_stream));
    ASSIGN_OR_RETURN(auto events,
                     domain::DecideChangeAsset(asset.state, usage.state,
                                               asset_name, change));
    if (!domain::RemovedComponents(
             asset.state.attributes(),
             domain::Changed(asset.state.attributes(), change))
             .empty()) {
      plan.Expect(usage_stream, usage.version);
    }
    plan.Record(asset_name, asset.version, events);
    return absl::OkStatus();
  };
  return runner_.Run<v1::Asset>(
      MakeCommandContext(call, name->Parent(), {asset_name}), decide,
      ModelAt<v1::Asset>(AssetKey(asset_name)));
}

absl::StatusOr<v1::ImpactAnalysis> AssessmentHandlers::RecordImpactAnalysis(
    const CallContext& call,
    const v1::RecordImpactAnalysisRequest& request) const {
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
  absl::StatusOr<domain::ScreeningResult> screening =
      domain::ScreenImpact(methodology_, ToDomainScores(request.scores()));
  violations.Merge(screening.status(), "scores");
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string asset_name = name->ToString();
  std::vector<events::v1::CategoryScore> scores;
  scores.reserve(request.scores_size());
  for (const v1::CategoryScore& score : request.scores()) {
    scores.push_back(ToEvent(score));
  }
  int64_t number = 0;
  return RunAtEtag<domain::AssetAggregate, v1::ImpactAnalysis>(
      runner_, MakeCommandContext(call, name->Parent(), {asset_name}),
      {asset_name, "asset", request.etag(), "etag"},
      [&](const domain::AssetAggregate::State& asset) {
        number = asset.impact_analyses() + 1;
        return domain::DecideRecordImpactAnalysis(asset, methodology_, scores);
      },
      request.justification(), [&](storage::ProjectionView& view) {
        return ModelAt<v1::ImpactAnalysis>(
            ImpactAnalysisKey(asset_name, number))(view);
      });
}

absl::StatusOr<v1::ImpactAnalysis> AssessmentHandlers::GetImpactAnalysis(
    const v1::GetImpactAnalysisRequest& request) const {
  ASSIGN_OR_RETURN(ImpactAnalysisResourceName name,
                   ParseImpactAnalysisName(request.name(), "name"));
  return LoadExisting<v1::ImpactAnalysis>(
      store_, ImpactAnalysisKey(name.asset.ToString(), name.number),
      "impact analysis", request.name());
}

absl::StatusOr<v1::ListImpactAnalysesResponse>
AssessmentHandlers::ListImpactAnalyses(
    const v1::ListImpactAnalysesRequest& request) const {
  FieldViolationCollector violations;
  absl::StatusOr<AssetName> name = ParseAssetName(request.parent(), "parent");
  violations.Merge(name.status(), "parent");
  int page_size = EffectivePageSize(request.page_size(), violations);
  RETURN_IF_ERROR(violations.ToStatus());
  const std::string asset_name = name->ToString();
  ASSIGN_OR_RETURN(std::unique_ptr<storage::ProjectionReader> snapshot,
                   store_.SnapshotProjections());
  RETURN_IF_ERROR(LoadExisting<v1::Asset>(*snapshot, AssetKey(asset_name),
                                          "asset", asset_name)
                      .status());
  const std::string query = absl::StrCat("impactAnalyses|", asset_name);
  ASSIGN_OR_RETURN(std::string resume,
                   page_tokens_.Decode(request.page_token(), query));
  ASSIGN_OR_RETURN(
      ScannedPage<v1::ImpactAnalysis> page,
      ScanPage<v1::ImpactAnalysis>(
          *snapshot, ProjectionTable::kState,
          ImpactAnalysisKeyPrefix(asset_name), resume, page_size,
          [](const std::string& key, const std::string& value)
              -> absl::StatusOr<std::optional<v1::ImpactAnalysis>> {
            v1::ImpactAnalysis analysis;
            if (!analysis.ParseFromString(value)) {
              return absl::DataLossError(
                  absl::StrCat("read model '", key, "' is corrupt"));
            }
            return std::optional<v1::ImpactAnalysis>(std::move(analysis));
          }));
  v1::ListImpactAnalysesResponse response;
  for (v1::ImpactAnalysis& analysis : page.items) {
    *response.add_impact_analyses() = std::move(analysis);
  }
  if (!page.next_resume_key.empty()) {
    ASSIGN_OR_RETURN(std::string token,
                     page_tokens_.Encode(query, page.next_resume_key));
    response.set_next_page_token(std::move(token));
  }
  return response;
}

}  // namespace riskledger::assessment
