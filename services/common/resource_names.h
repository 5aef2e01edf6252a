// Parsing and formatting of riskledger.v1 resource names (AIP-122).
#ifndef RISKLEDGER_SERVICES_COMMON_RESOURCE_NAMES_H_
#define RISKLEDGER_SERVICES_COMMON_RESOURCE_NAMES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace riskledger {

// Longest resource name accepted; longer input is refused before it is
// split or echoed.
inline constexpr size_t kMaxResourceNameLength = 256;

// True for identifiers matching [a-z][a-z0-9-]{0,62} (tenants, assets).
bool IsValidResourceId(absl::string_view id);

// "tenants/{tenant}".
struct TenantName {
  std::string tenant;
  std::string ToString() const;
};

// "tenants/{tenant}/assets/{asset}".
struct AssetName {
  std::string tenant;
  std::string asset;
  std::string ToString() const;
  std::string Parent() const;  // "tenants/{tenant}"
};

// "tenants/{tenant}/risks/{risk_id}".
struct RiskName {
  std::string tenant;
  std::string risk_id;
  std::string ToString() const;
  std::string Parent() const;
};

// "tenants/{tenant}/methodologies/{methodology}".
struct MethodologyResourceName {
  std::string tenant;
  std::string methodology;
  std::string Parent() const;  // "tenants/{tenant}"
};

// "tenants/{tenant}/assets/{asset}/impactAnalyses/{number}", number >= 1.
struct ImpactAnalysisResourceName {
  AssetName asset;
  int64_t number = 0;
};

// Each parser returns INVALID_ARGUMENT naming `field` when `name` is not in
// its one canonical form: exactly the segments of its pattern, ids as
// IsValidResourceId (risk ids as domain::IsValidRiskId), numbers as
// ParseCanonicalPositive; no spaces, signs, control characters or padding.
absl::StatusOr<TenantName> ParseTenantName(absl::string_view name,
                                           absl::string_view field);
absl::StatusOr<AssetName> ParseAssetName(absl::string_view name,
                                         absl::string_view field);
absl::StatusOr<RiskName> ParseRiskName(absl::string_view name,
                                       absl::string_view field);
absl::StatusOr<ImpactAnalysisResourceName> ParseImpactAnalysisName(
    absl::string_view name, absl::string_view field);
absl::StatusOr<MethodologyResourceName> ParseMethodologyName(
    absl::string_view name, absl::string_view field);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_RESOURCE_NAMES_H_
