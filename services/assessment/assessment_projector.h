// Derives the assessment read models (assets, impact analyses, the risk
// register and its priority index) from the assessment events and the
// aggregate states the EventRegistry folded from them just before.
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_PROJECTOR_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_PROJECTOR_H_

#include "services/common/event_registry.h"

namespace riskledger::assessment {

// Stateless and thread-safe. Ignores event types it does not own. Each read
// model key belongs to one stream (an asset's models to the asset's stream,
// a risk's model and index entry to the risk's stream): see
// docs/ARCHITECTURE.md, "Projection invariant".
class AssessmentProjector : public ReadModelProjector {
 public:
  absl::Status Apply(const storage::EventEnvelope& envelope,
                     const google::protobuf::Message& event,
                     storage::ProjectionView& view) const override;
};

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_PROJECTOR_H_
