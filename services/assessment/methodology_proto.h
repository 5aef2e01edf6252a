// Conversion of the domain methodology to its riskledger.v1 resource.
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_METHODOLOGY_PROTO_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_METHODOLOGY_PROTO_H_

#include <string>

#include "riskledger/v1/methodology.pb.h"
#include "services/domain/methodology.h"

namespace riskledger::assessment {

// "methodologies/{id}".
std::string MethodologyName(const domain::Methodology& methodology);

v1::Methodology ToProto(const domain::Methodology& methodology);

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_METHODOLOGY_PROTO_H_
