// How events record changed scores (M14): the domain's ScoreChange list as
// the events' repeated ScoreChange field.
#ifndef RISKLEDGER_SERVICES_DOMAIN_SCORE_CHANGES_H_
#define RISKLEDGER_SERVICES_DOMAIN_SCORE_CHANGES_H_

#include <vector>

#include "google/protobuf/repeated_field.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "services/domain/risk_analysis.h"

namespace riskledger::domain {

// Appends `changes`, in order, to `out`.
inline void AppendScoreChanges(
    const std::vector<ScoreChange>& changes,
    google::protobuf::RepeatedPtrField<events::v1::ScoreChange>& out) {
  for (const ScoreChange& change : changes) {
    events::v1::ScoreChange* recorded = out.Add();
    recorded->set_field(change.field);
    recorded->set_before(change.before);
    recorded->set_after(change.after);
  }
}

}  // namespace riskledger::domain

#endif  // RISKLEDGER_SERVICES_DOMAIN_SCORE_CHANGES_H_
