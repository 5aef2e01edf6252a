// Projection keys and stream ids of the assessment service.
#include "services/assessment/projection_keys.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/domain/priority.h"
#include "services/domain/risk_id.h"

namespace riskledger::assessment {

std::string AssetKey(absl::string_view asset_name) {
  return absl::StrCat("asset|", asset_name);
}
std::string AssetKeyPrefix(absl::string_view tenant_name) {
  return absl::StrCat("asset|", tenant_name, "/assets/");
}
std::string ImpactAnalysisKey(absl::string_view asset_name, int64_t number) {
  return absl::StrFormat("analysis|%s|%010d", asset_name, number);
}
std::string ImpactAnalysisKeyPrefix(absl::string_view asset_name) {
  return absl::StrCat("analysis|", asset_name, "|");
}
std::string RiskKey(absl::string_view risk_name) {
  // Keys sort in numeric id order (order_by "risk_id"), see RiskIdSortKey.
  const size_t slash = risk_name.rfind('/');
  return absl::StrCat("risk|", risk_name.substr(0, slash + 1),
                      domain::RiskIdSortKey(risk_name.substr(slash + 1)));
}
std::string RiskKeyPrefix(absl::string_view tenant_name) {
  return absl::StrCat("risk|", tenant_name, "/risks/");
}
std::string PriorityKey(absl::string_view tenant_name, const v1::Risk& risk) {
  domain::PriorityKey key{risk.analysis().level(), risk.analysis().impact(),
                          risk.analysis().likelihood(), risk.risk_id()};
  return absl::StrCat(PriorityKeyPrefix(tenant_name),
                      domain::PrioritySortKey(key));
}
std::string PriorityKeyPrefix(absl::string_view tenant_name) {
  return absl::StrCat("priority|", tenant_name, "|");
}
std::string ComponentReferencesStream(absl::string_view asset_name) {
  return absl::StrCat(asset_name, "/componentReferences");
}

std::string RiskIdSequenceStream(absl::string_view tenant_name, int year) {
  return absl::StrCat(tenant_name, "/riskIdSequences/", year);
}
std::string ImpactAnalysisName(absl::string_view asset_name, int64_t number) {
  return absl::StrCat(asset_name, "/impactAnalyses/", number);
}

int64_t ImpactAnalysisNumber(absl::string_view analysis_name) {
  int64_t number = 0;
  size_t slash = analysis_name.rfind('/');
  if (slash == absl::string_view::npos ||
      !absl::SimpleAtoi(analysis_name.substr(slash + 1), &number)) {
    return 0;
  }
  return number;
}

}  // namespace riskledger::assessment
