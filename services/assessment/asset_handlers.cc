// Asset use cases: register, read, list, update, and impact analysis (M2, M11).
#include <set>

#include "absl/strings/str_cat.h"
#include "services/assessment/assessment_handlers.h"
#include "services/assessment/event_mapping.h"
#include "services/assessment/handler_support.h"
#include "services/assessment/request_parsing.h"
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

}  // namespace

AssessmentHandlers::AssessmentHandlers(const CommandRunner& runner,
                                       const domain::Methodology& methodology,
                                       PageTokenCodec page_tokens)
    : runner_(runner),
      store_(runner.store()),
      methodology_(methodology),
      page_tokens_(std::move(page_tokens)),
      tenant_replays_(
          std::make_unique<TenantReplays>(store_, runner.registry())) {}

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

void AssessmentHandlers::CreateAsset(const CallContext& call,
                                     const v1::CreateAssetRequest& request,
                                     ReplyFn<v1::Asset> reply) const {
  absl::StatusOr<CreateAssetInput> input = ParseCreateAsset(request);
  if (!input.ok()) return reply(input.status());
  runner_.Run<v1::Asset>(
      MakeCommandContext(call, input->tenant, {input->asset}),
      [name = input->asset, &request](CommandPlan& plan) -> absl::Status {
        ASSIGN_OR_RETURN(auto asset, plan.Load<domain::AssetAggregate>(name));
        ASSIGN_OR_RETURN(auto events,
                         domain::DecideRegisterAsset(
                             asset, name, AttributesOf(request.asset())));
        plan.Record(name, asset.version, events);
        return absl::OkStatus();
      },
      ModelAt<v1::Asset>(AssetKey(input->asset)), std::move(reply));
}

absl::StatusOr<v1::Asset> AssessmentHandlers::GetAsset(
    const v1::GetAssetRequest& request) const {
  absl::StatusOr<AssetName> name = ParseAssetName(request.name(), "name");
  return GetModel<v1::Asset>(name.status(), name.ok() ? name->ToString() : "",
                             AssetKey, "asset", request.name(),
                             AsOfOf(request));
}

absl::StatusOr<v1::ListAssetsResponse> AssessmentHandlers::ListAssets(
    const v1::ListAssetsRequest& request) const {
  FieldViolationCollector violations;
  violations.Merge(ParseTenantName(request.parent(), "parent").status(),
                   "parent");
  int page_size = EffectivePageSize(request.page_size(), violations);
  if (request.has_as_of()) CheckAsOf(violations, "as_of", request.as_of());
  RETURN_IF_ERROR(violations.ToStatus());
  const std::string query = absl::StrCat("assets|", request.parent(),
                                         AsOfQuery(request));
  ASSIGN_OR_RETURN(std::string resume,
                   page_tokens_.Decode(request.page_token(), query));

  ASSIGN_OR_RETURN(std::shared_ptr<storage::ProjectionReader> snapshot,
                   RegisterAsOf(request.parent(), AsOfOf(request)));
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

void AssessmentHandlers::UpdateAsset(const CallContext& call,
                                     const v1::UpdateAssetRequest& request,
                                     ReplyFn<v1::Asset> reply) const {
  absl::StatusOr<UpdateInput> parsed = ParseUpdateAsset(request);
  if (!parsed.ok()) return reply(parsed.status());
  auto decide = [input = *parsed, &request](CommandPlan& plan) -> absl::Status {
    const std::string& asset_name = input.name;
    ASSIGN_OR_RETURN(auto asset, LoadAtEtag<domain::AssetAggregate>(
                                     plan, asset_name, "asset",
                                     request.asset().etag(), "asset.etag"));
    v1::Asset after;
    after.set_name(asset_name);
    SetAttributes(asset.state.attributes(), after);
    ApplyUpdateMask(request.asset(), input.mask, &after);
    FieldViolationCollector merged_violations;
    ValidateAsset(after, "asset.", merged_violations);
    RETURN_IF_ERROR(merged_violations.ToStatus());
    const domain::AssetChange change =
        domain::ChangeOf(TopLevelFields(input.mask.paths()), AttributesOf(after));
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
  runner_.Run<v1::Asset>(
      MakeCommandContext(call, parsed->tenant, {parsed->name}), decide,
      ModelAt<v1::Asset>(AssetKey(parsed->name)), std::move(reply));
}

void AssessmentHandlers::RecordImpactAnalysis(
    const CallContext& call, const v1::RecordImpactAnalysisRequest& request,
    ReplyFn<v1::ImpactAnalysis> reply) const {
  absl::StatusOr<ImpactAnalysisInput> input =
      ParseRecordImpactAnalysis(request, methodology_);
  if (!input.ok()) return reply(input.status());
  const std::string& asset_name = input->asset;
  // The number the decision gives the analysis names the response.
  auto number = std::make_shared<int64_t>(0);
  RunAtEtag<domain::AssetAggregate, v1::ImpactAnalysis>(
      runner_, MakeCommandContext(call, input->tenant, {asset_name}),
      {asset_name, "asset", request.etag(), "etag"},
      [this, number, scores = input->scores](
          const domain::AssetAggregate::State& asset) {
        *number = asset.impact_analyses() + 1;
        return domain::DecideRecordImpactAnalysis(asset, methodology_, scores);
      },
      request.justification(),
      [asset_name, number](storage::ProjectionView& view) {
        return ModelAt<v1::ImpactAnalysis>(
            ImpactAnalysisKey(asset_name, *number))(view);
      },
      std::move(reply));
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
