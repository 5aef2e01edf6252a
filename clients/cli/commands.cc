#include "clients/cli/commands.h"

namespace riskledger::cli {
namespace {

constexpr char kAssessment[] = "riskledger.v1.AssessmentService.";
constexpr char kAudit[] = "riskledger.v1.AuditService.";
constexpr char kAdmin[] = "riskledger.v1.AdminService.";

std::string Method(const char* service, const char* name) {
  return std::string(service) + name;
}

FieldOption AssetArgument(const std::string& path) {
  return {"", path, "", "{tenant}/assets/{value}"};
}
FieldOption RiskArgument(const std::string& path) {
  return {"", path, "", "{tenant}/risks/{value}"};
}

const std::vector<FieldOption>& AsOfOptions() {
  static const auto* options = new std::vector<FieldOption>{
      {"as-of-position", "as_of.log_position",
       "the state as of this log position (M14 point in time)", ""},
      {"as-of-time", "as_of.time", "the state as of this time (RFC 3339)", ""},
  };
  return *options;
}

std::vector<FieldOption> With(std::vector<FieldOption> options,
                              const std::vector<FieldOption>& more) {
  options.insert(options.end(), more.begin(), more.end());
  return options;
}

std::vector<FieldOption> AssetFields(const std::string& p) {
  return {
      {"display-name", p + "display_name", "name shown to people", ""},
      {"description", p + "description", "what the asset is", ""},
      {"information-system", p + "information_system", "the system it belongs to", ""},
      {"owner", p + "owner", "accountable owner", ""},
      {"component", p + "components",
       "a part risks can name, NAME[:DESCRIPTION] (repeat)", ""},
      {"confidentiality", p + "value_assessment.confidentiality", "low, medium or high", ""},
      {"integrity", p + "value_assessment.integrity", "low, medium or high", ""},
      {"availability", p + "value_assessment.availability", "low, medium or high", ""},
      {"value-rationale", p + "value_assessment.rationale", "why these values", ""},
      {"personal-data", p + "personal_data.contains_personal_data", "true or false", ""},
      {"special-categories", p + "personal_data.special_categories", "true or false", ""},
      {"identifiability", p + "personal_data.identifiability",
       "direct, indirect or anonymised", ""},
      {"dpia-required", p + "dpia_required", "true or false", ""},
      {"project-size", p + "project_size", "small, medium or large", ""},
      {"project-duration-months", p + "project_duration_months", "months", ""},
  };
}

std::vector<FieldOption> RiskFields(const std::string& p) {
  return {
      {"asset", p + "asset", "asset id (or name) the risk is on", "{tenant}/assets/{value}"},
      {"component", p + "component", "component of the asset", ""},
      {"vulnerability", p + "vulnerability", "the weakness", ""},
      {"threat-actor", p + "threat.actor", "who", ""},
      {"attack-method", p + "threat.attack_method", "how", ""},
      {"threat-reference", p + "threat.catalogue_reference", "threat catalogue reference", ""},
      {"risk-factor", p + "risk_factor", "the risk factor", ""},
      {"risk-event", p + "risk_event", "what happens", ""},
      {"loss", p + "loss", "what is lost", ""},
      {"affected", p + "affected_properties",
       "confidentiality, integrity, availability (comma list)", ""},
      {"impact-description", p + "impact_description", "the impact in words", ""},
      {"largest-loss-service", p + "largest_loss.service", "largest loss of service", ""},
      {"largest-loss-financial", p + "largest_loss.financial", "largest financial loss", ""},
      {"largest-loss-reputation", p + "largest_loss.reputation", "largest loss of reputation", ""},
      {"owner", p + "owner", "risk owner", ""},
      {"control", p + "existing_controls", "an existing control (repeat)", ""},
      {"source", p + "source", "internal or external", ""},
  };
}

const FieldOption kRequestId{"request-id", "request_id",
                             "idempotency key (default: a fresh one per run)", ""};
const FieldOption kEtag{"etag", "etag", "act only if the resource is still at this etag", ""};

std::vector<Column> AssetColumns() {
  return {{"name", "name"},
          {"display_name", "display_name"},
          {"owner", "owner"},
          {"components", "components"},
          {"confidentiality", "value_assessment.confidentiality"},
          {"integrity", "value_assessment.integrity"},
          {"availability", "value_assessment.availability"},
          {"personal_data", "personal_data.contains_personal_data"},
          {"impact_screening", "latest_impact_analysis.screening.reason"},
          {"etag", "etag"},
          {"update_time", "update_time"}};
}

std::vector<Column> RiskColumns() {
  return {{"risk_id", "risk_id"},
          {"status", "status"},
          {"level", "analysis.level", true},
          {"band", "analysis.band"},
          {"impact", "analysis.impact", true},
          {"likelihood", "analysis.likelihood", true},
          {"owner", "owner"},
          {"asset", "asset"},
          {"risk_event", "risk_event"},
          {"statement", "risk_statement"},
          {"required_action", "analysis.required_action"},
          {"etag", "etag"}};
}

std::vector<Column> ImpactColumns() {
  return {{"name", "name"},
          {"scores", "scores"},
          {"identification_required", "screening.identification_required"},
          {"mean_score", "screening.mean_score"},
          {"reason", "screening.reason"},
          {"principal", "principal"},
          {"create_time", "create_time"}};
}

std::vector<Column> CheckpointColumns() {
  return {{"origin", "origin"}, {"tree_size", "tree_size"}, {"time", "time"},
          {"signed_note", "signed_note"}};
}

}  // namespace

const std::vector<CommandSpec>& Commands() {
  static const auto* commands = new std::vector<CommandSpec>{
      {"methodology", "get", "the tenant's risk methodology (M1–M14 scales, bands)",
       Method(kAssessment, "GetMethodology"), "", {}, "", {
           {"name", "name", "methodology name", ""}},
       "", "", "",
       {{"name", "name"}, {"version", "version"}, {"display_name", "display_name"},
        {"source", "source"}, {"impact_scale", "impact_scale.levels"},
        {"likelihood_scale", "likelihood_scale.levels"}, {"bands", "bands"}}},
      {"asset", "create", "register an asset (ISO/IEC 27005 asset identification)",
       Method(kAssessment, "CreateAsset"), "ASSET_ID", {"", "asset_id", "", ""}, "parent",
       With(AssetFields("asset."), {kRequestId}), "", "", "", AssetColumns()},
      {"asset", "get", "an asset", Method(kAssessment, "GetAsset"), "ASSET_ID",
       AssetArgument("name"), "", AsOfOptions(), "", "", "", AssetColumns()},
      {"asset", "list", "the tenant's assets", Method(kAssessment, "ListAssets"), "", {},
       "parent", AsOfOptions(), "", "", "assets",
       {{"name", "name"}, {"display_name", "display_name"}, {"owner", "owner"},
        {"components", "components"}, {"impact_screening", "latest_impact_analysis.screening.reason"}}},
      {"asset", "update", "change an asset's fields (only those given)",
       Method(kAssessment, "UpdateAsset"), "ASSET_ID", AssetArgument("asset.name"), "",
       With(AssetFields("asset."), {{"etag", "asset.etag", kEtag.help, ""}, kRequestId}),
       "update_mask", "asset.", "", AssetColumns()},
      {"impact", "record", "record an impact analysis of an asset (M2 screening)",
       Method(kAssessment, "RecordImpactAnalysis"), "ASSET_ID", AssetArgument("parent"), "",
       {{"score", "scores", "CATEGORY:SCORE:RATIONALE (repeat per category)", ""},
        {"justification", "justification", "why", ""}, kEtag, kRequestId},
       "", "", "", ImpactColumns()},
      {"impact", "list", "an asset's impact analyses, newest first",
       Method(kAssessment, "ListImpactAnalyses"), "ASSET_ID", AssetArgument("parent"), "", {},
       "", "", "impact_analyses", ImpactColumns()},
      {"impact", "get", "one impact analysis (by its full name)",
       Method(kAssessment, "GetImpactAnalysis"), "NAME", {"", "name", "", ""}, "", {},
       "", "", "", ImpactColumns()},
      {"risk", "create", "identify a risk on an asset (M3: id R-YYYY-NNNN)",
       Method(kAssessment, "CreateRisk"), "", {}, "parent",
       With(RiskFields("risk."), {kRequestId}), "", "", "", RiskColumns()},
      {"risk", "get", "a risk", Method(kAssessment, "GetRisk"), "RISK_ID",
       RiskArgument("name"), "", AsOfOptions(), "", "", "", RiskColumns()},
      {"risk", "list", "the risk register, highest level first",
       Method(kAssessment, "ListRisks"), "", {}, "parent",
       With({{"filter", "filter", "e.g. band = \"high\" AND owner = \"alice\"", ""},
             {"order-by", "order_by", "e.g. level desc", ""}},
            AsOfOptions()),
       "", "", "risks",
       {{"risk_id", "risk_id"}, {"level", "analysis.level", true}, {"band", "analysis.band"},
        {"status", "status"}, {"owner", "owner"}, {"risk_event", "risk_event"}}},
      {"risk", "update", "change a risk's identification (only the fields given)",
       Method(kAssessment, "UpdateRisk"), "RISK_ID", RiskArgument("risk.name"), "",
       With(RiskFields("risk."), {{"etag", "risk.etag", kEtag.help, ""},
                                  {"justification", "justification", "why", ""},
                                  kRequestId}),
       "update_mask", "risk.", "", RiskColumns()},
      {"risk", "analyse", "score impact × likelihood (M4, M5)",
       Method(kAssessment, "AnalyseRisk"), "RISK_ID", RiskArgument("name"), "",
       {{"impact", "impact", "impact score", ""},
        {"likelihood", "likelihood", "likelihood score", ""},
        {"impact-rationale", "impact_rationale", "why this impact", ""},
        {"likelihood-rationale", "likelihood_rationale", "why this likelihood", ""},
        {"information-source", "information_sources",
         "incident-statistics, prognosis, expert-assessment, peer-comparison (comma list)", ""},
        {"uncertainty", "uncertainty", "what is uncertain", ""}, kEtag, kRequestId},
       "", "", "", RiskColumns()},
      {"risk", "adjust", "adjust the computed level, with a rationale (M6)",
       Method(kAssessment, "AdjustRiskLevel"), "RISK_ID", RiskArgument("name"), "",
       {{"level", "adjusted_level", "the adjusted level", ""},
        {"rationale", "rationale", "why", ""}, kEtag, kRequestId},
       "", "", "", RiskColumns()},
      {"risk", "history", "a risk's score changes with who, when and why",
       Method(kAssessment, "ListScoreHistory"), "RISK_ID", RiskArgument("parent"), "", {},
       "", "", "entries",
       {{"position", "audit.log_position"}, {"time", "audit.time"},
        {"principal", "audit.principal"}, {"event", "audit.event_type"},
        {"changes", "changes"}, {"justification", "audit.justification"}}},
      {"audit", "list", "audit entries (before/after values, justification)",
       Method(kAudit, "ListAuditEntries"), "", {}, "parent",
       {{"filter", "filter", "e.g. resource = \"tenants/acme/risks/R-2026-0001\"", ""},
        {"start-time", "start_time", "from this time (RFC 3339)", ""},
        {"end-time", "end_time", "before this time (RFC 3339)", ""}},
       "", "", "entries",
       {{"position", "audit.log_position"}, {"time", "audit.time"},
        {"resource", "resource"}, {"event", "audit.event_type"},
        {"principal", "audit.principal"}, {"changes", "changes"},
        {"justification", "audit.justification"}}},
      {"audit", "checkpoint", "a signed checkpoint of the log (default: the latest)",
       Method(kAudit, "GetCheckpoint"), "", {}, "",
       {{"tree-size", "tree_size", "the checkpoint of this tree size", ""}}, "", "", "",
       CheckpointColumns()},
      {"audit", "sign", "sign a checkpoint of the log now (after proving consistency)",
       Method(kAudit, "CreateCheckpoint"), "", {}, "", {}, "", "", "",
       CheckpointColumns()},
      {"audit", "verify", "recompute the log's chain and tree on the server",
       Method(kAudit, "VerifyLog"), "", {}, "", {}, "", "", "",
       {{"valid", "valid"}, {"entries_verified", "entries_verified"},
        {"tree_size", "tree_size"}, {"checkpoints_verified", "checkpoints_verified"},
        {"failure", "failure"}}},
      {"audit", "keys", "the checkpoint signers' public keys (note verifiers)",
       Method(kAudit, "ListVerifierKeys"), "", {}, "", {}, "", "", "keys",
       {{"verifier", "verifier_key"}, {"current", "current"}}},
      {"admin", "backup", "make a backup of the data directory on the server",
       Method(kAdmin, "CreateBackup"), "", {}, "", {}, "", "", "",
       {{"name", "name"}, {"backup_id", "backup_id"}, {"create_time", "create_time"}}},
  };
  return *commands;
}

}  // namespace riskledger::cli
