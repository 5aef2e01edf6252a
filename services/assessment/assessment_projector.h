// Derives the assessment read models (assets, impact analyses, the risk
// register and its priority index) from the log.
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_PROJECTOR_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_PROJECTOR_H_

#include "storage/event_store.h"
#include "storage/projector.h"

namespace riskledger::assessment {

// Stateless and thread-safe. Ignores event types it does not own.
class AssessmentProjector : public storage::Projector {
 public:
  absl::Status Apply(const storage::EventEnvelope& event,
                     storage::ProjectionView& view) const override;
};

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_PROJECTOR_H_
