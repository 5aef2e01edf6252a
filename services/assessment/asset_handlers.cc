// Asset use cases: register, read, list, update, and impact analysis (M2, M11).
#include <set>

#include "absl/strings/str_cat.h"
#include "riskledger/v1/audit_events.pb.h"
#include "services/assessment/assessment_handlers.h"
#include "services/assessment/event_types.h"
#include "services/assessment/handler_support.h"
#include "services/assessment/methodology_proto.h"
#include "services/assessment/projection_keys.h"
#include "services/assessment/resource_validation.h"
#include "services/common/field_checks.h"
#include "services/common/page_token.h"
#include "services/common/resource_names.h"
#include "services/common/update_mask.h"
#include "services/domain/risk_analysis.h"
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

// FAILED_PRECONDITION when `after` drops a component that a risk of the
// tenant still names (M3: a risk names its asset and component). When
// components are dropped, expects the asset's ComponentReferencesStream at the
// version seen before the check, so that a risk naming a dropped component
// concurrently makes one of the two commands fail.
absl::Status CheckRemovedComponentsUnused(storage::EventStore& store,
                                          absl::string_view tenant_name,
                                          const v1::Asset& before,
                                          const v1::Asset& after,
                                          CommandPlan& plan) {
  std::set<std::string> removed;
  for (const v1::Component& component : before.components()) {
    removed.insert(component.name());
  }
  for (const v1::Component& component : after.components()) {
    removed.erase(component.name());
  }
  if (removed.empty()) return absl::OkStatus();
  const std::string references = ComponentReferencesStream(after.name());
  ASSIGN_OR_RETURN(int64_t reference_version, store.StreamVersion(references));
  plan.expectations.push_back({references, reference_version});
  constexpr size_t kChunk = 256;
  const std::string prefix = RiskKeyPrefix(tenant_name);
  std::string resume;
  for (;;) {
    ASSIGN_OR_RETURN(
        auto entries,
        store.ScanProjection(ProjectionTable::kState, prefix, resume, kChunk));
    for (const auto& [key, value] : entries) {
      v1::Risk risk;
      if (!risk.ParseFromString(value)) {
        return absl::DataLossError(
            absl::StrCat("read model '", key, "' is corrupt"));
      }
      if (risk.asset() == after.name() && removed.count(risk.component()) > 0) {
        return RuleViolationError(
            absl::StatusCode::kFailedPrecondition, "M3",
            absl::StrCat("component '", risk.component(), "' of ", after.name(),
                         " is still named by risk ", risk.risk_id(),
                         "; move that risk to another component first"));
      }
    }
    if (entries.size() < kChunk) return absl::OkStatus();
    resume = entries.back().first;
  }
}

}  // namespace

AssessmentHandlers::AssessmentHandlers(storage::EventStore& store,
                                       const domain::Methodology& methodology,
                                       PageTokenCodec page_tokens)
    : store_(store),
      methodology_(methodology),
      page_tokens_(std::move(page_tokens)),
      executor_(store, projector_) {}

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
  auto decide = [&]() -> absl::StatusOr<CommandPlan> {
    ASSIGN_OR_RETURN(int64_t version, store_.StreamVersion(name));
    if (version != 0) {
      return absl::AlreadyExistsError(
          absl::StrCat("asset '", name, "' already exists"));
    }
    v1::AssetCreated created;
    v1::Asset& asset = *created.mutable_asset();
    asset = request.asset();
    asset.clear_latest_impact_analysis();
    asset.clear_create_time();
    asset.clear_update_time();
    asset.clear_etag();
    asset.set_name(name);
    CommandPlan plan;
    plan.expectations.push_back({name, storage::kNoStream});
    plan.events.push_back(MakeEvent(name, kAssetCreated, created));
    return plan;
  };
  return RunCommand<v1::Asset>(
      executor_, MakeCommandContext(call, request.parent(), {name}), decide,
      [&](ProjectionView& view) {
        return ProjectedModel<v1::Asset>(view, AssetKey(name));
      });
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
  auto decide = [&]() -> absl::StatusOr<CommandPlan> {
    ASSIGN_OR_RETURN(v1::Asset before,
                     LoadExisting<v1::Asset>(store_, AssetKey(asset_name),
                                             "asset", asset_name));
    RETURN_IF_ERROR(
        CheckEtag(request.asset().etag(), "asset.etag", before.etag()));
    v1::AssetUpdated updated;
    *updated.mutable_before() = before;
    v1::Asset& after = *updated.mutable_after();
    after = before;
    ApplyUpdateMask(request.asset(), *mask, &after);
    FieldViolationCollector merged_violations;
    ValidateAsset(after, "asset.", merged_violations);
    RETURN_IF_ERROR(merged_violations.ToStatus());
    for (const std::string& path : mask->paths())
      updated.add_update_paths(path);
    ASSIGN_OR_RETURN(
        CommandPlan plan,
        PlanOneEvent(asset_name, before.etag(), kAssetUpdated, updated, ""));
    RETURN_IF_ERROR(CheckRemovedComponentsUnused(store_, name->Parent(), before,
                                                 after, plan));
    return plan;
  };
  return RunCommand<v1::Asset>(
      executor_, MakeCommandContext(call, name->Parent(), {asset_name}), decide,
      [&](ProjectionView& view) {
        return ProjectedModel<v1::Asset>(view, AssetKey(asset_name));
      });
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
  std::string analysis_name;
  auto decide = [&]() -> absl::StatusOr<CommandPlan> {
    ASSIGN_OR_RETURN(v1::Asset asset,
                     LoadExisting<v1::Asset>(store_, AssetKey(asset_name),
                                             "asset", asset_name));
    RETURN_IF_ERROR(CheckEtag(request.etag(), "etag", asset.etag()));
    const v1::ImpactAnalysis& previous = asset.latest_impact_analysis();
    analysis_name = ImpactAnalysisName(
        asset_name, ImpactAnalysisNumber(previous.name()) + 1);
    v1::ImpactAnalysisRecorded recorded;
    v1::ImpactAnalysis& analysis = *recorded.mutable_analysis();
    analysis.set_name(analysis_name);
    *analysis.mutable_scores() = request.scores();
    v1::ScreeningResult& result = *analysis.mutable_screening();
    result.set_identification_required(screening->identification_required);
    result.set_mean_score(screening->mean_score);
    for (const std::string& category : screening->driving_categories) {
      result.add_driving_categories(category);
    }
    result.set_reason(screening->reason);
    analysis.set_methodology(MethodologyName(methodology_, name->Parent()));
    analysis.set_methodology_version(methodology_.version);
    analysis.set_justification(request.justification());
    analysis.set_principal(call.audit.principal);
    for (const domain::ScoreChange& change :
         domain::DiffCategoryScores(ToDomainScores(previous.scores()),
                                    ToDomainScores(request.scores()))) {
      v1::ScoreChange* out = recorded.add_changes();
      out->set_field(change.field);
      out->set_before(change.before);
      out->set_after(change.after);
    }
    return PlanOneEvent(asset_name, asset.etag(), kImpactAnalysisRecorded,
                        recorded, request.justification());
  };
  return RunCommand<v1::ImpactAnalysis>(
      executor_, MakeCommandContext(call, name->Parent(), {asset_name}), decide,
      [&](ProjectionView& view) {
        return ProjectedModel<v1::ImpactAnalysis>(
            view,
            ImpactAnalysisKey(asset_name, ImpactAnalysisNumber(analysis_name)));
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
