// Type names of the events the assessment service records; each names the
// riskledger.v1 payload message of proto/riskledger/v1/audit_events.proto.
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_EVENT_TYPES_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_EVENT_TYPES_H_

namespace riskledger::assessment {

inline constexpr char kAssetCreated[] = "AssetCreated";
inline constexpr char kAssetUpdated[] = "AssetUpdated";
inline constexpr char kImpactAnalysisRecorded[] = "ImpactAnalysisRecorded";
inline constexpr char kRiskIdAssigned[] = "RiskIdAssigned";
inline constexpr char kRiskCreated[] = "RiskCreated";
inline constexpr char kAssetComponentReferenced[] = "AssetComponentReferenced";
inline constexpr char kRiskUpdated[] = "RiskUpdated";
inline constexpr char kRiskAnalysed[] = "RiskAnalysed";
inline constexpr char kRiskLevelAdjusted[] = "RiskLevelAdjusted";

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_EVENT_TYPES_H_
