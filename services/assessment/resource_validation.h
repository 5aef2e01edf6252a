// Field checks of the Asset and Risk resources against their documented
// limits and required fields (M3, M11).
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_RESOURCE_VALIDATION_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_RESOURCE_VALIDATION_H_

#include <string>

#include "absl/strings/string_view.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/base/status_details.h"

namespace riskledger::assessment {

// Checks the client-settable fields of `asset`; violations are named
// `prefix` + field path (e.g. "asset.owner").
void ValidateAsset(const v1::Asset& asset, absl::string_view prefix,
                   FieldViolationCollector& violations);

// Checks the identification fields of `risk` (M3). The asset reference is only
// checked for syntax here; existence needs the store.
void ValidateRiskIdentification(const v1::Risk& risk, absl::string_view prefix,
                                FieldViolationCollector& violations);

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_RESOURCE_VALIDATION_H_
