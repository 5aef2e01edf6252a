// RegisterAssessment: what AssessmentService adds to the process's registry.
#include <memory>

#include "services/assessment/assessment_handlers.h"
#include "services/assessment/assessment_projector.h"
#include "services/domain/asset.h"
#include "services/domain/component_usage.h"
#include "services/domain/risk.h"
#include "services/domain/risk_id_sequence.h"

namespace riskledger::assessment {

void RegisterAssessment(EventRegistry& registry) {
  registry.AddAggregate<domain::AssetAggregate>();
  registry.AddAggregate<domain::ComponentUsageAggregate>();
  registry.AddAggregate<domain::RiskIdSequenceAggregate>();
  registry.AddAggregate<domain::RiskAggregate>();
  registry.AddProjector(std::make_unique<AssessmentProjector>());
}

}  // namespace riskledger::assessment
