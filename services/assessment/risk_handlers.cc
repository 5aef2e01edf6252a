// Risk register use cases: identify (M3), read, list by priority (M6), update,
// analyse (M4, M5) and adjust the level (M4).
#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/assessment/assessment_handlers.h"
#include "services/assessment/event_mapping.h"
#include "services/assessment/handler_support.h"
#include "services/assessment/request_parsing.h"
#include "services/assessment/methodology_proto.h"
#include "services/assessment/projection_keys.h"
#include "services/assessment/resource_validation.h"
#include "services/common/field_checks.h"
#include "services/common/list_filter.h"
#include "services/common/page_token.h"
#include "services/common/proto_time.h"
#include "services/common/resource_names.h"
#include "services/common/update_mask.h"
#include "services/domain/asset.h"
#include "services/domain/field_changes.h"
#include "services/domain/risk.h"
#include "services/domain/risk_analysis.h"
#include "services/domain/risk_id_sequence.h"
#include "services/domain/scoring.h"

namespace riskledger::assessment {
namespace {

using storage::ProjectionTable;
using storage::ProjectionView;

const std::set<std::string>& RiskFilterFields() {
  static const auto* const kFields =
      new std::set<std::string>{"asset", "owner", "status", "band"};
  return *kFields;
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

void AssessmentHandlers::CreateRisk(const CallContext& call,
                                    const v1::CreateRiskRequest& request,
                                    ReplyFn<v1::Risk> reply) const {
  absl::StatusOr<CreateRiskInput> input = ParseCreateRisk(request);
  if (!input.ok()) return reply(input.status());
  const int year =
      static_cast<int>(absl::ToCivilYear(call.now, absl::UTCTimeZone()).year());
  const std::string sequence_stream =
      RiskIdSequenceStream(input->tenant, year);
  // Creates contend on the tenant's id sequence; naming a component also on
  // the asset's component references.
  std::vector<std::string> create_keys = {sequence_stream};
  if (!request.risk().component().empty()) {
    create_keys.push_back(input->asset);
  }
  // The id the decision assigns names the response.
  auto risk_name = std::make_shared<std::string>();
  auto decide = [input = *input, year, sequence_stream, risk_name,
                 &request](CommandPlan& plan) -> absl::Status {
    const std::string& asset = input.asset;
    ASSIGN_OR_RETURN(auto asset_state,
                     plan.LoadExisting<domain::AssetAggregate>(
                         asset, "asset", request.risk().asset()));
    // M3: the id is the next number of the tenant's sequence for the year.
    ASSIGN_OR_RETURN(auto sequence, plan.Load<domain::RiskIdSequenceAggregate>(
                                        sequence_stream));
    const events::v1::RiskIdAssigned assigned =
        domain::DecideNextRiskId(sequence.state, year);
    *risk_name = absl::StrCat(input.tenant, "/risks/", assigned.risk_id());
    plan.Record(sequence_stream, sequence.version,
                std::vector<events::v1::RiskIdAssigned>{assigned});
    ASSIGN_OR_RETURN(auto identified,
                     domain::DecideIdentifyRisk(
                         assigned.risk_id(), asset,
                         asset_state.state.attributes(),
                         IdentificationOf(request.risk())));
    plan.Record(*risk_name, storage::kNoStream, identified);
    // The risk is decided on the asset (it must exist, M3): valid only
    // while the asset is as seen.
    plan.Expect(asset, asset_state.version);
    return NameComponent(plan, asset, asset_state.version, assigned.risk_id(),
                         "", request.risk().component());
  };
  runner_.Run<v1::Risk>(
      MakeCommandContext(call, input->tenant, create_keys), decide,
      [risk_name](storage::ProjectionView& view) {
        return ModelAt<v1::Risk>(RiskKey(*risk_name))(view);
      },
      std::move(reply));
}

absl::StatusOr<v1::Risk> AssessmentHandlers::GetRisk(
    const v1::GetRiskRequest& request) const {
  absl::StatusOr<RiskName> name = ParseRiskName(request.name(), "name");
  return GetModel<v1::Risk>(name.status(), name.ok() ? name->ToString() : "",
                            RiskKey, "risk", request.name(), AsOfOf(request));
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
  if (request.has_as_of()) CheckAsOf(violations, "as_of", request.as_of());
  RETURN_IF_ERROR(violations.ToStatus());
  const std::string query =
      absl::StrCat("risks|", request.parent(), "|", request.filter(), "|",
                   order_by, AsOfQuery(request));
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
  ASSIGN_OR_RETURN(std::shared_ptr<storage::ProjectionReader> snapshot,
                   RegisterAsOf(request.parent(), AsOfOf(request)));
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

void AssessmentHandlers::UpdateRisk(const CallContext& call,
                                    const v1::UpdateRiskRequest& request,
                                    ReplyFn<v1::Risk> reply) const {
  absl::StatusOr<UpdateInput> parsed = ParseUpdateRisk(request);
  if (!parsed.ok()) return reply(parsed.status());
  const UpdateInput& input = *parsed;
  const std::string& risk_name = input.name;
  // Changing the component contends on the asset's component references too;
  // a risk's asset never changes, so it can be read up front.
  std::vector<std::string> update_keys = {risk_name};
  const bool changes_component =
      std::find(input.mask.paths().begin(), input.mask.paths().end(),
                "component") != input.mask.paths().end();
  if (changes_component) {
    absl::StatusOr<v1::Risk> current =
        LoadExisting<v1::Risk>(store_, RiskKey(risk_name), "risk", risk_name);
    if (current.ok()) update_keys.push_back(current->asset());
  }
  auto decide = [input, &request](CommandPlan& plan) -> absl::Status {
    const std::string& risk_name = input.name;
    ASSIGN_OR_RETURN(auto risk, LoadAtEtag<domain::RiskAggregate>(
                                    plan, risk_name, "risk",
                                    request.risk().etag(), "risk.etag"));
    v1::Risk after;
    after.set_name(risk_name);
    after.set_risk_id(risk.state.risk_id());
    after.set_asset(risk.state.asset());
    SetIdentification(risk.state.identification(), after);
    ApplyUpdateMask(request.risk(), input.mask, &after);
    FieldViolationCollector merged_violations;
    ValidateRiskIdentification(after, "risk.", merged_violations);
    RETURN_IF_ERROR(merged_violations.ToStatus());
    // Only a component the request changes is checked against the asset, so
    // a risk stays updatable whatever happened to its asset since.
    const std::string& before_component = risk.state.identification().component();
    domain::Current<domain::AssetAggregate::State> asset;
    if (after.component() != before_component) {
      ASSIGN_OR_RETURN(asset, plan.LoadExisting<domain::AssetAggregate>(
                                  after.asset(), "asset", after.asset()));
    }
    ASSIGN_OR_RETURN(
        auto changed,
        domain::DecideChangeIdentification(
            risk.state, asset.exists() ? &asset.state.attributes() : nullptr,
            domain::ChangeOf(TopLevelFields(input.mask.paths()),
                             IdentificationOf(after))));
    plan.Record(risk_name, risk.version, changed);
    plan.set_justification(request.justification());
    return NameComponent(plan, after.asset(), asset.version,
                         risk.state.risk_id(), before_component,
                         after.component());
  };
  runner_.Run<v1::Risk>(MakeCommandContext(call, input.tenant, update_keys),
                        decide, ModelAt<v1::Risk>(RiskKey(risk_name)),
                        std::move(reply));
}

void AssessmentHandlers::AnalyseRisk(const CallContext& call,
                                     const v1::AnalyseRiskRequest& request,
                                     ReplyFn<v1::Risk> reply) const {
  absl::StatusOr<AnalyseRiskInput> input =
      ParseAnalyseRisk(request, methodology_);
  if (!input.ok()) return reply(input.status());
  const std::string& risk_name = input->target.risk;
  RunAtEtag<domain::RiskAggregate, v1::Risk>(
      runner_, MakeCommandContext(call, input->target.tenant, {risk_name}),
      {risk_name, "risk", request.etag(), "etag"},
      [this, scoring = input->scoring](const domain::RiskAggregate::State& risk) {
        return domain::DecideAnalyseRisk(risk, methodology_, scoring);
      },
      absl::StrCat("impact: ", request.impact_rationale(),
                   "; likelihood: ", request.likelihood_rationale()),
      ModelAt<v1::Risk>(RiskKey(risk_name)), std::move(reply));
}

void AssessmentHandlers::AdjustRiskLevel(
    const CallContext& call, const v1::AdjustRiskLevelRequest& request,
    ReplyFn<v1::Risk> reply) const {
  absl::StatusOr<RiskInput> input = ParseAdjustRiskLevel(request, methodology_);
  if (!input.ok()) return reply(input.status());
  RunAtEtag<domain::RiskAggregate, v1::Risk>(
      runner_, MakeCommandContext(call, input->tenant, {input->risk}),
      {input->risk, "risk", request.etag(), "etag"},
      [this, &request](const domain::RiskAggregate::State& risk) {
        return domain::DecideAdjustRiskLevel(risk, methodology_,
                                             request.adjusted_level(),
                                             request.rationale());
      },
      request.rationale(), ModelAt<v1::Risk>(RiskKey(input->risk)),
      std::move(reply));
}

}  // namespace riskledger::assessment
