// How events name the methodology a decision applied (M1).
#ifndef RISKLEDGER_SERVICES_DOMAIN_METHODOLOGY_REF_H_
#define RISKLEDGER_SERVICES_DOMAIN_METHODOLOGY_REF_H_

#include "riskledger/events/v1/assessment_events.pb.h"
#include "services/domain/methodology.h"

namespace riskledger::domain {

// The id and version of `m`.
inline events::v1::MethodologyRef RefOf(const Methodology& m) {
  events::v1::MethodologyRef ref;
  ref.set_id(m.id);
  ref.set_version(m.version);
  return ref;
}

}  // namespace riskledger::domain

#endif  // RISKLEDGER_SERVICES_DOMAIN_METHODOLOGY_REF_H_
