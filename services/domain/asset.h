// The asset aggregate (M2, M3, M11): registering an asset, changing its
// attributes and recording impact analyses, all on the asset's stream.
#ifndef RISKLEDGER_SERVICES_DOMAIN_ASSET_H_
#define RISKLEDGER_SERVICES_DOMAIN_ASSET_H_

#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "riskledger/state/v1/assessment_state.pb.h"
#include "services/domain/aggregate.h"
#include "services/domain/field_changes.h"
#include "services/domain/methodology.h"

namespace riskledger::domain {

struct AssetAggregate {
  using State = state::v1::AssetState;
  using Event = std::variant<events::v1::AssetRegistered,
                             events::v1::AssetAttributesChanged,
                             events::v1::ImpactAnalysisRecorded>;
  static State Evolve(State state, const Event& event);
};

using AssetEvents = std::vector<AssetAggregate::Event>;

// Registers `asset_name` with `attributes`. ALREADY_EXISTS when the stream
// already exists.
absl::StatusOr<AssetEvents> DecideRegisterAsset(
    const Current<state::v1::AssetState>& asset, absl::string_view asset_name,
    events::v1::AssetAttributes attributes);

// A change of some attributes (field_changes.h).
using AssetChange = FieldChange<events::v1::AssetAttributes>;

// The components of `before` that `after` no longer has, in `before`'s order.
std::vector<std::string> RemovedComponents(
    const events::v1::AssetAttributes& before,
    const events::v1::AssetAttributes& after);

// Changes the attributes of `asset_name`. M3: a component a risk still names
// (per `usage`) cannot be removed (FAILED_PRECONDITION naming the risk).
absl::StatusOr<AssetEvents> DecideChangeAsset(
    const state::v1::AssetState& asset,
    const state::v1::ComponentUsageState& usage, absl::string_view asset_name,
    const AssetChange& change);

// M2: records the next impact analysis of `asset`, screened by `m`, with the
// category scores that changed against the previous analysis (M14). The
// scores are screened again here (INVALID_ARGUMENT as ScreenImpact).
absl::StatusOr<AssetEvents> DecideRecordImpactAnalysis(
    const state::v1::AssetState& asset, const Methodology& m,
    const std::vector<events::v1::CategoryScore>& scores);

}  // namespace riskledger::domain

#endif  // RISKLEDGER_SERVICES_DOMAIN_ASSET_H_
