// Risk register use cases: identify (M3), read, list by priority (M6), update,
// analyse (M4, M5) and adjust the level (M4).
#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "riskledger/v1/audit_events.pb.h"
#include "services/assessment/assessment_handlers.h"
#include "services/assessment/event_types.h"
#include "services/assessment/handler_support.h"
#include "services/assessment/methodology_proto.h"
#include "services/assessment/projection_keys.h"
#include "services/assessment/resource_validation.h"
#include "services/common/field_checks.h"
#include "services/common/list_filter.h"
#include "services/common/page_token.h"
#include "services/common/proto_time.h"
#include "services/common/resource_names.h"
#include "services/common/update_mask.h"
#include "services/domain/risk_analysis.h"
#include "services/domain/risk_id.h"
#include "services/domain/scoring.h"

namespace riskledger::assessment {
namespace {

using storage::ProjectionTable;
using storage::ProjectionView;

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

const std::set<std::string>& RiskFilterFields() {
  static const auto* const kFields =
      new std::set<std::string>{"asset", "owner", "status", "band"};
  return *kFields;
}

domain::RiskScores ScoresOf(const v1::RiskAnalysis& analysis) {
  domain::RiskScores scores;
  scores.impact = analysis.impact();
  scores.likelihood = analysis.likelihood();
  scores.computed_level = analysis.computed_level();
  scores.adjusted_level = analysis.adjusted_level();
  return scores;
}

// Writes the scores and what the band of the effective level requires (M5).
void SetScores(const domain::Methodology& methodology,
               absl::string_view tenant_name, const domain::RiskScores& scores,
               v1::RiskAnalysis& analysis) {
  analysis.set_impact(scores.impact);
  analysis.set_likelihood(scores.likelihood);
  analysis.set_computed_level(scores.computed_level);
  analysis.set_adjusted_level(scores.adjusted_level);
  analysis.set_level(scores.effective_level());
  const domain::Band* band =
      domain::BandForLevel(methodology, scores.effective_level());
  analysis.set_band(band != nullptr ? band->id : "");
  analysis.set_required_action(band != nullptr ? band->required_action : "");
  analysis.set_review_interval_months(
      band != nullptr ? band->review_interval_months : 0);
  analysis.set_methodology(MethodologyName(methodology, tenant_name));
  analysis.set_methodology_version(methodology.version);
}

template <typename Event>
void AddChanges(const domain::RiskScores& before,
                const domain::RiskScores& after, Event& event) {
  for (const domain::ScoreChange& change :
       domain::DiffRiskScores(before, after)) {
    v1::ScoreChange* out = event.add_changes();
    out->set_field(change.field);
    out->set_before(change.before);
    out->set_after(change.after);
  }
}

// Does `risk` satisfy every term of `filter`?
bool Matches(const v1::Risk& risk, const EqualityFilter& filter) {
  for (const auto& [field, value] : filter) {
    if (field == "asset" && risk.asset() != value) return false;
    if (field == "owner" && risk.owner() != value) return false;
    if (field == "status" && v1::RiskStatus_Name(risk.status()) != value)
      return false;
    if (field == "band" && risk.analysis().band() != value) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<v1::Risk> AssessmentHandlers::CreateRisk(
    const CallContext& call, const v1::CreateRiskRequest& request) const {
  FieldViolationCollector violations;
  absl::StatusOr<TenantName> tenant =
      ParseTenantName(request.parent(), "parent");
  violations.Merge(tenant.status(), "parent");
  if (!request.has_risk()) violations.Add("risk", "is required");
  ValidateRiskIdentification(request.risk(), "risk.", violations);
  CheckRequestId(violations, request.request_id());
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(AssetName asset_name,
                   ParseAssetName(request.risk().asset(), "risk.asset"));
  if (asset_name.tenant != tenant->tenant) {
    return InvalidFieldError("risk.asset",
                             "must belong to the tenant in parent");
  }

  const int year =
      static_cast<int>(absl::ToCivilYear(call.now, absl::UTCTimeZone()).year());
  const std::string sequence_stream =
      RiskIdSequenceStream(request.parent(), year);
  // Creates contend on the tenant's id sequence; naming a component also on
  // the asset's component references.
  std::vector<std::string> create_keys = {sequence_stream};
  if (!request.risk().component().empty()) {
    create_keys.push_back(asset_name.ToString());
  }
  std::string risk_name;
  auto decide = [&]() -> absl::StatusOr<CommandPlan> {
    ASSIGN_OR_RETURN(
        v1::Asset asset,
        LoadExisting<v1::Asset>(store_, AssetKey(asset_name.ToString()),
                                "asset", request.risk().asset()));
    FieldViolationCollector component_violations;
    CheckComponentOfAsset(asset, request.risk().component(), "risk.component",
                          component_violations);
    RETURN_IF_ERROR(component_violations.ToStatus());
    // M3: the id is the next number of the tenant's sequence for the year.
    ASSIGN_OR_RETURN(int64_t taken, store_.StreamVersion(sequence_stream));
    const std::string risk_id = domain::FormatRiskId(year, taken + 1);
    risk_name = RiskName{tenant->tenant, risk_id}.ToString();

    v1::RiskCreated created;
    v1::Risk& risk = *created.mutable_risk();
    risk = request.risk();
    risk.clear_analysis();
    risk.clear_create_time();
    risk.clear_update_time();
    risk.clear_etag();
    risk.set_name(risk_name);
    risk.set_risk_id(risk_id);
    risk.set_risk_statement(RiskStatement(risk));
    risk.set_status(v1::RISK_STATUS_IDENTIFIED);
    v1::RiskIdAssigned assigned;
    assigned.set_risk(risk_name);

    CommandPlan plan;
    plan.expectations.push_back({sequence_stream, taken});
    plan.expectations.push_back({risk_name, storage::kNoStream});
    plan.events.push_back(
        MakeEvent(sequence_stream, kRiskIdAssigned, assigned));
    plan.events.push_back(MakeEvent(risk_name, kRiskCreated, created));
    RETURN_IF_ERROR(ReferenceComponent(store_, asset, risk_name,
                                       request.risk().component(), plan));
    return plan;
  };
  return RunCommand<v1::Risk>(
      executor_, MakeCommandContext(call, request.parent(), create_keys),
      decide, [&](ProjectionView& view) {
        return ProjectedModel<v1::Risk>(view, RiskKey(risk_name));
      });
}

absl::StatusOr<v1::Risk> AssessmentHandlers::GetRisk(
    const v1::GetRiskRequest& request) const {
  ASSIGN_OR_RETURN(RiskName name, ParseRiskName(request.name(), "name"));
  return LoadExisting<v1::Risk>(store_, RiskKey(name.ToString()), "risk",
                                request.name());
}

absl::StatusOr<v1::ListRisksResponse> AssessmentHandlers::ListRisks(
    const v1::ListRisksRequest& request) const {
  FieldViolationCollector violations;
  violations.Merge(ParseTenantName(request.parent(), "parent").status(),
                   "parent");
  int page_size = EffectivePageSize(request.page_size(), violations);
  absl::StatusOr<EqualityFilter> filter =
      ParseEqualityFilter(request.filter(), RiskFilterFields());
  violations.Merge(filter.status(), "filter");
  if (filter.ok() && filter->count("status") > 0) {
    v1::RiskStatus status;
    if (!v1::RiskStatus_Parse(filter->at("status"), &status)) {
      violations.Add("filter",
                     absl::StrCat("status is not a RiskStatus value: ",
                                  EchoInput(filter->at("status"))));
    }
  }
  if (filter.ok() && filter->count("owner") > 0) {
    // Owners are short texts: a value no owner can have is a mistake.
    FieldViolationCollector owner_violations;
    CheckRequiredText(owner_violations, "filter", filter->at("owner"),
                      kMaxShortText);
    if (!owner_violations.empty()) {
      violations.Add("filter", absl::StrCat("owner is not a valid owner: ",
                                            EchoInput(filter->at("owner"))));
    }
  }
  if (filter.ok() && filter->count("asset") > 0) {
    absl::StatusOr<AssetName> asset =
        ParseAssetName(filter->at("asset"), "filter");
    if (!asset.ok()) {
      violations.Add("filter", absl::StrCat("asset is not an asset name: ",
                                            EchoInput(filter->at("asset"))));
    }
  }
  if (filter.ok() && filter->count("band") > 0) {
    const std::string& band = filter->at("band");
    bool known = false;
    for (const domain::Band& candidate : methodology_.bands) {
      known = known || candidate.id == band;
    }
    if (!known) {
      violations.Add("filter",
                     absl::StrCat("band is not a band of the methodology: ",
                                  EchoInput(band)));
    }
  }
  const std::string order_by =
      request.order_by().empty() ? "priority" : request.order_by();
  if (order_by != "priority" && order_by != "risk_id") {
    violations.Add("order_by", "must be \"priority\" or \"risk_id\"");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  const std::string query = absl::StrCat("risks|", request.parent(), "|",
                                         request.filter(), "|", order_by);
  ASSIGN_OR_RETURN(std::string resume,
                   page_tokens_.Decode(request.page_token(), query));

  using Accept = std::function<absl::StatusOr<std::optional<v1::Risk>>(
      const std::string&, const std::string&)>;
  Accept keep_if_matching =
      [&](const std::string& key,
          const std::string& value) -> absl::StatusOr<std::optional<v1::Risk>> {
    v1::Risk risk;
    if (!risk.ParseFromString(value)) {
      return absl::DataLossError(
          absl::StrCat("read model '", key, "' is corrupt"));
    }
    if (!Matches(risk, *filter)) return std::optional<v1::Risk>();
    return std::optional<v1::Risk>(std::move(risk));
  };
  // One snapshot: the index and the risks it names agree within the page.
  ASSIGN_OR_RETURN(std::unique_ptr<storage::ProjectionReader> snapshot,
                   store_.SnapshotProjections());
  absl::StatusOr<ScannedPage<v1::Risk>> page;
  if (order_by == "risk_id") {
    page = ScanPage<v1::Risk>(*snapshot, ProjectionTable::kState,
                              RiskKeyPrefix(request.parent()), resume,
                              page_size, keep_if_matching);
  } else {
    // M6: the priority index holds risk names in priority order.
    page = ScanPage<v1::Risk>(
        *snapshot, ProjectionTable::kIndex, PriorityKeyPrefix(request.parent()),
        resume, page_size,
        [&](const std::string& key, const std::string& risk_name)
            -> absl::StatusOr<std::optional<v1::Risk>> {
          ASSIGN_OR_RETURN(std::optional<std::string> value,
                           snapshot->GetProjection(ProjectionTable::kState,
                                                   RiskKey(risk_name)));
          if (!value.has_value()) {
            return absl::DataLossError(
                absl::StrCat("priority index names missing risk ", risk_name));
          }
          return keep_if_matching(key, *value);
        });
  }
  if (!page.ok()) return page.status();
  v1::ListRisksResponse response;
  for (v1::Risk& risk : page->items) *response.add_risks() = std::move(risk);
  if (!page->next_resume_key.empty()) {
    ASSIGN_OR_RETURN(std::string token,
                     page_tokens_.Encode(query, page->next_resume_key));
    response.set_next_page_token(std::move(token));
  }
  return response;
}

absl::StatusOr<v1::Risk> AssessmentHandlers::UpdateRisk(
    const CallContext& call, const v1::UpdateRiskRequest& request) const {
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

  const std::string risk_name = name->ToString();
  // Changing the component contends on the asset's component references too;
  // a risk's asset never changes, so it can be read up front.
  std::vector<std::string> update_keys = {risk_name};
  const bool changes_component =
      std::find(mask->paths().begin(), mask->paths().end(), "component") !=
      mask->paths().end();
  if (changes_component) {
    absl::StatusOr<v1::Risk> current =
        LoadExisting<v1::Risk>(store_, RiskKey(risk_name), "risk", risk_name);
    if (current.ok()) update_keys.push_back(current->asset());
  }
  auto decide = [&]() -> absl::StatusOr<CommandPlan> {
    ASSIGN_OR_RETURN(
        v1::Risk before,
        LoadExisting<v1::Risk>(store_, RiskKey(risk_name), "risk", risk_name));
    RETURN_IF_ERROR(
        CheckEtag(request.risk().etag(), "risk.etag", before.etag()));
    v1::RiskUpdated updated;
    *updated.mutable_before() = before;
    v1::Risk& after = *updated.mutable_after();
    after = before;
    ApplyUpdateMask(request.risk(), *mask, &after);
    after.set_risk_statement(RiskStatement(after));
    FieldViolationCollector merged_violations;
    ValidateRiskIdentification(after, "risk.", merged_violations);
    // Only a component the request changes is checked against the asset, so
    // a risk stays updatable whatever happened to its asset since.
    std::optional<v1::Asset> asset;
    if (after.component() != before.component()) {
      ASSIGN_OR_RETURN(AssetName asset_name,
                       ParseAssetName(after.asset(), "risk.asset"));
      ASSIGN_OR_RETURN(asset, LoadExisting<v1::Asset>(
                                  store_, AssetKey(asset_name.ToString()),
                                  "asset", after.asset()));
      CheckComponentOfAsset(*asset, after.component(), "risk.component",
                            merged_violations);
    }
    RETURN_IF_ERROR(merged_violations.ToStatus());
    for (const std::string& path : mask->paths())
      updated.add_update_paths(path);
    ASSIGN_OR_RETURN(CommandPlan plan,
                     PlanOneEvent(risk_name, before.etag(), kRiskUpdated,
                                  updated, request.justification()));
    if (asset.has_value()) {
      RETURN_IF_ERROR(ReferenceComponent(store_, *asset, risk_name,
                                         after.component(), plan));
    }
    return plan;
  };
  return RunCommand<v1::Risk>(
      executor_, MakeCommandContext(call, name->Parent(), update_keys), decide,
      [&](ProjectionView& view) {
        return ProjectedModel<v1::Risk>(view, RiskKey(risk_name));
      });
}

absl::StatusOr<v1::Risk> AssessmentHandlers::AnalyseRisk(
    const CallContext& call, const v1::AnalyseRiskRequest& request) const {
  FieldViolationCollector violations;
  absl::StatusOr<RiskName> name = ParseRiskName(request.name(), "name");
  violations.Merge(name.status(), "name");
  // M1/M4: both scores on their scales.
  violations.Merge(
      domain::ValidateScore(methodology_.impact, request.impact(), "impact"),
      "impact");
  violations.Merge(domain::ValidateScore(methodology_.likelihood,
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
  ASSIGN_OR_RETURN(domain::RiskScores scores,
                   domain::AnalyseRisk(methodology_, request.impact(),
                                       request.likelihood()));

  const std::string risk_name = name->ToString();
  auto decide = [&]() -> absl::StatusOr<CommandPlan> {
    ASSIGN_OR_RETURN(
        v1::Risk risk,
        LoadExisting<v1::Risk>(store_, RiskKey(risk_name), "risk", risk_name));
    RETURN_IF_ERROR(CheckEtag(request.etag(), "etag", risk.etag()));
    v1::RiskAnalysed analysed;
    v1::RiskAnalysis& analysis = *analysed.mutable_analysis();
    SetScores(methodology_, name->Parent(), scores, analysis);
    analysis.set_impact_rationale(request.impact_rationale());
    analysis.set_likelihood_rationale(request.likelihood_rationale());
    *analysis.mutable_information_sources() = request.information_sources();
    analysis.set_uncertainty(request.uncertainty());
    *analysis.mutable_analyse_time() = ToProtoTimestamp(call.now);
    AddChanges(ScoresOf(risk.analysis()), scores, analysed);
    return PlanOneEvent(
        risk_name, risk.etag(), kRiskAnalysed, analysed,
        absl::StrCat("impact: ", request.impact_rationale(),
                     "; likelihood: ", request.likelihood_rationale()));
  };
  return RunCommand<v1::Risk>(
      executor_, MakeCommandContext(call, name->Parent(), {risk_name}), decide,
      [&](ProjectionView& view) {
        return ProjectedModel<v1::Risk>(view, RiskKey(risk_name));
      });
}

absl::StatusOr<v1::Risk> AssessmentHandlers::AdjustRiskLevel(
    const CallContext& call, const v1::AdjustRiskLevelRequest& request) const {
  FieldViolationCollector violations;
  absl::StatusOr<RiskName> name = ParseRiskName(request.name(), "name");
  violations.Merge(name.status(), "name");
  CheckRequiredText(violations, "rationale", request.rationale(), kMaxLongText);
  if (request.adjusted_level() < 1 ||
      request.adjusted_level() > domain::MaxRiskLevel(methodology_)) {
    violations.Add("adjusted_level",
                   absl::StrCat("must be between 1 and ",
                                domain::MaxRiskLevel(methodology_), " (M4)"));
  }
  CheckEtagFormat(violations, request.etag(), "etag");
  CheckRequestId(violations, request.request_id());
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string risk_name = name->ToString();
  auto decide = [&]() -> absl::StatusOr<CommandPlan> {
    ASSIGN_OR_RETURN(
        v1::Risk risk,
        LoadExisting<v1::Risk>(store_, RiskKey(risk_name), "risk", risk_name));
    RETURN_IF_ERROR(CheckEtag(request.etag(), "etag", risk.etag()));
    const domain::RiskScores before = ScoresOf(risk.analysis());
    ASSIGN_OR_RETURN(
        domain::RiskScores after,
        domain::AdjustRiskLevel(methodology_, before, request.adjusted_level(),
                                request.rationale()));
    v1::RiskLevelAdjusted adjusted;
    v1::RiskAnalysis& analysis = *adjusted.mutable_analysis();
    analysis = risk.analysis();
    SetScores(methodology_, name->Parent(), after, analysis);
    analysis.set_adjustment_rationale(request.rationale());
    AddChanges(before, after, adjusted);
    return PlanOneEvent(risk_name, risk.etag(), kRiskLevelAdjusted, adjusted,
                        request.rationale());
  };
  return RunCommand<v1::Risk>(
      executor_, MakeCommandContext(call, name->Parent(), {risk_name}), decide,
      [&](ProjectionView& view) {
        return ProjectedModel<v1::Risk>(view, RiskKey(risk_name));
      });
}

}  // namespace riskledger::assessment
