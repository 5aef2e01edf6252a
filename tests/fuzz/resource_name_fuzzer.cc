// Fuzzes every resource-name parser and the risk-id grammar. Property: a
// name that parses is in its one canonical form (formatting the parsed value
// gives back the input byte for byte).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/resource_names.h"
#include "services/domain/risk_id.h"

namespace riskledger {
namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace
}  // namespace riskledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;  // NOLINT(google-build-using-namespace)
  const std::string input(reinterpret_cast<const char*>(data), size);
  if (auto tenant = ParseTenantName(input, "f"); tenant.ok()) {
    Require(tenant->ToString() == input);
  }
  if (auto asset = ParseAssetName(input, "f"); asset.ok()) {
    Require(asset->ToString() == input);
  }
  if (auto risk = ParseRiskName(input, "f"); risk.ok()) {
    Require(risk->ToString() == input);
    Require(domain::IsValidRiskId(risk->risk_id));
  }
  if (auto analysis = ParseImpactAnalysisName(input, "f"); analysis.ok()) {
    Require(absl::StrCat(analysis->asset.ToString(), "/impactAnalyses/",
                         analysis->number) == input);
  }
  if (auto methodology = ParseMethodologyName(input, "f"); methodology.ok()) {
    Require(absl::StrCat(methodology->Parent(), "/methodologies/",
                         methodology->methodology) == input);
  }
  // Sort keys never throw and keep valid ids distinct.
  const std::string key = domain::RiskIdSortKey(input);
  if (domain::IsValidRiskId(input)) Require(key.size() == 26);
  return 0;
}
