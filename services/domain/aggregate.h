// What every aggregate of the domain shares: the decision state of one stream
// as Decide sees it. Each aggregate (asset.h, risk.h, risk_id_sequence.h,
// component_usage.h; impact analyses live on the asset's stream) is a struct
// naming its State (a storage-owned state message), its Event (a variant of
// storage-owned event messages) and a pure Evolve(State, Event) -> State;
// its Decide functions are free functions beside it. None of them sees gRPC,
// RocksDB or the public API messages.
#ifndef RISKLEDGER_SERVICES_DOMAIN_AGGREGATE_H_
#define RISKLEDGER_SERVICES_DOMAIN_AGGREGATE_H_

#include <cstdint>

namespace riskledger::domain {

// The state of one aggregate's stream after its first `version` events; a
// stream with no events (version 0) does not exist yet.
template <typename State>
struct Current {
  int64_t version = 0;
  State state;

  bool exists() const { return version > 0; }
};

}  // namespace riskledger::domain

#endif  // RISKLEDGER_SERVICES_DOMAIN_AGGREGATE_H_
