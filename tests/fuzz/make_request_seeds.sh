#!/usr/bin/env bash
# Regenerates corpus/request_validation_fuzzer/: one seed per method, each a
# method-selector byte followed by a request encoded from text format with
# protoc (the selector is the method's index in request_validation_fuzzer.cc).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
proto="$here/../../proto"
out="$here/corpus/request_validation_fuzzer"
mkdir -p "$out"
seed() {  # seed <file> <selector> <message> <text>
  { printf "\\x$(printf %02x "$2")"
    printf '%s' "$4" | protoc -I "$proto" --encode="riskledger.v1.$3" \
      riskledger/v1/assessment_service.proto; } >"$out/$1"
}
seed get-methodology 0 GetMethodologyRequest 'name: "tenants/acme/methodologies/default"'
seed create-asset 1 CreateAssetRequest 'parent: "tenants/acme" asset_id: "crm" asset { display_name: "CRM" owner: "bob" components { name: "db" } value_assessment { confidentiality: VALUE_LEVEL_HIGH rationale: "r" } } request_id: "r-1"'
seed get-asset 2 GetAssetRequest 'name: "tenants/acme/assets/payroll"'
seed list-assets 3 ListAssetsRequest 'parent: "tenants/acme" page_size: 1'
seed update-asset 4 UpdateAssetRequest 'asset { name: "tenants/acme/assets/payroll" owner: "carol" etag: "1" } update_mask { paths: "owner" }'
seed record-impact 5 RecordImpactAnalysisRequest 'parent: "tenants/acme/assets/payroll" scores { category: "objectives" score: 3 } scores { category: "reputation" score: 4 rationale: "press" } justification: "yearly"'
seed get-impact 6 GetImpactAnalysisRequest 'name: "tenants/acme/assets/payroll/impactAnalyses/1"'
seed list-impact 7 ListImpactAnalysesRequest 'parent: "tenants/acme/assets/payroll"'
seed create-risk 8 CreateRiskRequest 'parent: "tenants/acme" risk { asset: "tenants/acme/assets/payroll" component: "database" vulnerability: "v" threat { actor: "a" } risk_factor: "f" risk_event: "e" loss: "l" affected_properties: SECURITY_PROPERTY_INTEGRITY owner: "alice" source: RISK_SOURCE_EXTERNAL }'
seed get-risk 9 GetRiskRequest 'name: "tenants/acme/risks/R-2026-0001"'
seed list-risks 10 ListRisksRequest 'parent: "tenants/acme" filter: "owner = \"alice\"" order_by: "risk_id"'
seed update-risk 11 UpdateRiskRequest 'risk { name: "tenants/acme/risks/R-2026-0001" owner: "bob" threat { actor: "insider" } } update_mask { paths: "owner" paths: "threat.actor" } justification: "j"'
seed analyse-risk 12 AnalyseRiskRequest 'name: "tenants/acme/risks/R-2026-0001" impact: 4 likelihood: 3 impact_rationale: "i" likelihood_rationale: "l" information_sources: INFORMATION_SOURCE_EXPERT_ASSESSMENT'
seed adjust-risk 13 AdjustRiskLevelRequest 'name: "tenants/acme/risks/R-2026-0001" adjusted_level: 15 rationale: "r"'
seed history 14 ListScoreHistoryRequest 'parent: "tenants/acme/risks/R-2026-0001" page_size: 1'
