// Decide and Evolve of the risk-id sequence aggregate.
#include "services/domain/risk_id_sequence.h"

#include "services/domain/risk_id.h"

namespace riskledger::domain {

RiskIdSequenceAggregate::State RiskIdSequenceAggregate::Evolve(
    State state, const Event& /*event*/) {
  state.set_taken(state.taken() + 1);
  return state;
}

events::v1::RiskIdAssigned DecideNextRiskId(
    const state::v1::RiskIdSequenceState& sequence, int year) {
  events::v1::RiskIdAssigned assigned;
  assigned.set_risk_id(FormatRiskId(year, sequence.taken() + 1));
  return assigned;
}

}  // namespace riskledger::domain
