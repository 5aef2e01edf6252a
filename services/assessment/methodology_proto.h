// Conversion of the domain methodology to its riskledger.v1 resource.
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_METHODOLOGY_PROTO_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_METHODOLOGY_PROTO_H_

#include <string>

#include "absl/strings/string_view.h"
#include "riskledger/v1/methodology.pb.h"
#include "services/domain/methodology.h"

namespace riskledger::assessment {

// "tenants/{tenant}/methodologies/{id}" for `tenant_name` "tenants/{tenant}".
std::string MethodologyName(const domain::Methodology& methodology,
                            absl::string_view tenant_name);

// The methodology as the resource of the tenant `tenant_name`.
v1::Methodology ToProto(const domain::Methodology& methodology,
                        absl::string_view tenant_name);

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_METHODOLOGY_PROTO_H_
