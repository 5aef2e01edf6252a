// Decide and Evolve of the component-usage aggregate.
#include "services/domain/component_usage.h"

#include <algorithm>
#include <utility>

namespace riskledger::domain {
namespace {

namespace ev = events::v1;
using state::v1::ComponentUsage;
using state::v1::ComponentUsageState;

// The entry of `component`, inserted in name order when missing.
ComponentUsage& EntryOf(ComponentUsageState& state,
                        const std::string& component) {
  auto* entries = state.mutable_components();
  auto it = std::lower_bound(
      entries->begin(), entries->end(), component,
      [](const ComponentUsage& entry, const std::string& name) {
        return entry.component() < name;
      });
  if (it != entries->end() && it->component() == component) return *it;
  const int index = static_cast<int>(it - entries->begin());
  entries->Add()->set_component(component);
  for (int i = entries->size() - 1; i > index; --i) entries->SwapElements(i, i - 1);
  return entries->at(index);
}

struct Evolver {
  ComponentUsageState& state;

  void operator()(const ev::AssetComponentReferenced& event) const {
    EntryOf(state, event.component()).add_risk_ids(event.risk_id());
  }
  void operator()(const ev::AssetComponentReleased& event) const {
    ComponentUsage& entry = EntryOf(state, event.component());
    auto* ids = entry.mutable_risk_ids();
    ids->erase(std::remove(ids->begin(), ids->end(), event.risk_id()),
               ids->end());
    if (ids->empty()) {
      auto* entries = state.mutable_components();
      entries->erase(std::find_if(
          entries->begin(), entries->end(), [&](const ComponentUsage& e) {
            return e.component() == event.component();
          }));
    }
  }
};

}  // namespace

ComponentUsageAggregate::State ComponentUsageAggregate::Evolve(
    State state, const Event& event) {
  std::visit(Evolver{state}, event);
  return state;
}

std::vector<std::string> RisksNaming(const ComponentUsageState& usage,
                                     absl::string_view component) {
  for (const ComponentUsage& entry : usage.components()) {
    if (entry.component() == component) {
      return {entry.risk_ids().begin(), entry.risk_ids().end()};
    }
  }
  return {};
}

ComponentUsageEvents DecideNameComponent(absl::string_view risk_id,
                                         absl::string_view from,
                                         absl::string_view to) {
  ComponentUsageEvents events;
  if (from == to) return events;
  if (!from.empty()) {
    ev::AssetComponentReleased released;
    released.set_risk_id(std::string(risk_id));
    released.set_component(std::string(from));
    events.emplace_back(std::move(released));
  }
  if (!to.empty()) {
    ev::AssetComponentReferenced referenced;
    referenced.set_risk_id(std::string(risk_id));
    referenced.set_component(std::string(to));
    events.emplace_back(std::move(referenced));
  }
  return events;
}

}  // namespace riskledger::domain
