// The risk-id sequence aggregate of a tenant and year (M3): ids R-YYYY-NNNN
// are taken one after another, contiguous and unique. Stream
// "tenants/{t}/riskIdSequences/{year}".
#ifndef RISKLEDGER_SERVICES_DOMAIN_RISK_ID_SEQUENCE_H_
#define RISKLEDGER_SERVICES_DOMAIN_RISK_ID_SEQUENCE_H_

#include <variant>

#include "riskledger/events/v1/assessment_events.pb.h"
#include "riskledger/state/v1/assessment_state.pb.h"

namespace riskledger::domain {

struct RiskIdSequenceAggregate {
  using State = state::v1::RiskIdSequenceState;
  using Event = std::variant<events::v1::RiskIdAssigned>;
  static State Evolve(State state, const Event& event);
};

// M3: takes the next id of the sequence for `year`.
events::v1::RiskIdAssigned DecideNextRiskId(
    const state::v1::RiskIdSequenceState& sequence, int year);

}  // namespace riskledger::domain

#endif  // RISKLEDGER_SERVICES_DOMAIN_RISK_ID_SEQUENCE_H_
