// The component-usage aggregate of an asset (M3): which risks name which of
// its components, so that a component still named cannot be removed. Its
// stream is "tenants/{t}/assets/{a}/componentReferences"; a command that
// makes a risk name a component appends to it, and a removal of components
// expects it unchanged.
#ifndef RISKLEDGER_SERVICES_DOMAIN_COMPONENT_USAGE_H_
#define RISKLEDGER_SERVICES_DOMAIN_COMPONENT_USAGE_H_

#include <string>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "riskledger/state/v1/assessment_state.pb.h"

namespace riskledger::domain {

struct ComponentUsageAggregate {
  using State = state::v1::ComponentUsageState;
  using Event = std::variant<events::v1::AssetComponentReferenced,
                             events::v1::AssetComponentReleased>;
  static State Evolve(State state, const Event& event);
};

using ComponentUsageEvents = std::vector<ComponentUsageAggregate::Event>;

// The ids of the risks naming `component`, in the order they came to.
std::vector<std::string> RisksNaming(const state::v1::ComponentUsageState& usage,
                                     absl::string_view component);

// Risk `risk_id` moves from naming `from` to naming `to` (either may be empty:
// no component): releases `from` and references `to`; nothing when equal.
ComponentUsageEvents DecideNameComponent(absl::string_view risk_id,
                                         absl::string_view from,
                                         absl::string_view to);

}  // namespace riskledger::domain

#endif  // RISKLEDGER_SERVICES_DOMAIN_COMPONENT_USAGE_H_
