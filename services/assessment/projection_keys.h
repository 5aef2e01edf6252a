// Keys of the assessment read models in the projection tables, and the ids of
// the event streams the assessment commands write.
//
// kState:  "asset|tenants/t/assets/a"                     -> Asset
//          "analysis|tenants/t/assets/a|<10-digit n>"     -> ImpactAnalysis
//          "risk|tenants/t/risks/<RiskIdSortKey(id)>"     -> Risk
// kIndex:  "priority|tenants/t|<domain::PrioritySortKey>" -> risk name (M6)
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_PROJECTION_KEYS_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_PROJECTION_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "riskledger/v1/assessment_service.pb.h"

namespace riskledger::assessment {

std::string AssetKey(absl::string_view asset_name);
std::string AssetKeyPrefix(absl::string_view tenant_name);
std::string ImpactAnalysisKey(absl::string_view asset_name, int64_t number);
std::string ImpactAnalysisKeyPrefix(absl::string_view asset_name);
std::string RiskKey(absl::string_view risk_name);
std::string RiskKeyPrefix(absl::string_view tenant_name);
// Priority-index key of a risk (M6); level 0 when not analysed.
std::string PriorityKey(absl::string_view tenant_name, const v1::Risk& risk);
std::string PriorityKeyPrefix(absl::string_view tenant_name);

// Stream of AssetComponentReferenced events of an asset: commands that make a
// risk name a component append to it; removing a component expects it.
std::string ComponentReferencesStream(absl::string_view asset_name);

// Stream whose version is the number of risk ids a tenant took in `year`.
std::string RiskIdSequenceStream(absl::string_view tenant_name, int year);

// "tenants/t/assets/a/impactAnalyses/<n>".
std::string ImpactAnalysisName(absl::string_view asset_name, int64_t number);
// The <n> of an impact analysis name; 0 for an empty or malformed name.
int64_t ImpactAnalysisNumber(absl::string_view analysis_name);

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_PROJECTION_KEYS_H_
