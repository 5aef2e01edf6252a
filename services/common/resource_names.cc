// Resource-name grammar: collection/id segments with validated ids.
#include "services/common/resource_names.h"

#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/base/status_details.h"
#include "services/common/canonical_number.h"
#include "services/domain/risk_id.h"

namespace riskledger {
namespace {

constexpr size_t kMaxIdLength = 63;

absl::Status Malformed(absl::string_view field, absl::string_view name,
                       absl::string_view pattern) {
  // The reason first: if the description is cut, the echo goes, not it.
  return InvalidFieldError(
      field, absl::StrCat("must be a resource name of the form ", pattern,
                          "; got ", EchoInput(name)));
}

// The '/'-separated segments of `name`, or nullopt (without splitting) when
// it is empty or longer than any valid name.
std::optional<std::vector<absl::string_view>> Segments(absl::string_view name) {
  if (name.empty() || name.size() > kMaxResourceNameLength) {
    return std::nullopt;
  }
  return std::vector<absl::string_view>(absl::StrSplit(name, '/'));
}

}  // namespace

bool IsValidResourceId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  if (!absl::ascii_islower(static_cast<unsigned char>(id[0]))) return false;
  for (char c : id) {
    auto u = static_cast<unsigned char>(c);
    if (!absl::ascii_islower(u) && !absl::ascii_isdigit(u) && c != '-')
      return false;
  }
  return true;
}

std::string TenantName::ToString() const {
  return absl::StrCat("tenants/", tenant);
}
std::string AssetName::ToString() const {
  return absl::StrCat("tenants/", tenant, "/assets/", asset);
}
std::string AssetName::Parent() const {
  return absl::StrCat("tenants/", tenant);
}
std::string RiskName::ToString() const {
  return absl::StrCat("tenants/", tenant, "/risks/", risk_id);
}
std::string RiskName::Parent() const {
  return absl::StrCat("tenants/", tenant);
}

absl::StatusOr<TenantName> ParseTenantName(absl::string_view name,
                                           absl::string_view field) {
  if (name.empty()) return InvalidFieldError(field, "is required");
  std::vector<absl::string_view> parts =
      Segments(name).value_or(std::vector<absl::string_view>());
  if (parts.size() != 2 || parts[0] != "tenants" ||
      !IsValidResourceId(parts[1])) {
    return Malformed(field, name, "tenants/{tenant}");
  }
  return TenantName{std::string(parts[1])};
}

absl::StatusOr<AssetName> ParseAssetName(absl::string_view name,
                                         absl::string_view field) {
  if (name.empty()) return InvalidFieldError(field, "is required");
  std::vector<absl::string_view> parts =
      Segments(name).value_or(std::vector<absl::string_view>());
  if (parts.size() != 4 || parts[0] != "tenants" ||
      !IsValidResourceId(parts[1]) || parts[2] != "assets" ||
      !IsValidResourceId(parts[3])) {
    return Malformed(field, name, "tenants/{tenant}/assets/{asset}");
  }
  return AssetName{std::string(parts[1]), std::string(parts[3])};
}

absl::StatusOr<ImpactAnalysisResourceName> ParseImpactAnalysisName(
    absl::string_view name, absl::string_view field) {
  if (name.empty()) return InvalidFieldError(field, "is required");
  std::vector<absl::string_view> parts =
      Segments(name).value_or(std::vector<absl::string_view>());
  std::optional<int64_t> number =
      parts.size() == 6 ? ParseCanonicalPositive(parts[5]) : std::nullopt;
  if (parts.size() != 6 || parts[0] != "tenants" ||
      !IsValidResourceId(parts[1]) || parts[2] != "assets" ||
      !IsValidResourceId(parts[3]) || parts[4] != "impactAnalyses" ||
      !number.has_value()) {
    return Malformed(field, name,
                     "tenants/{tenant}/assets/{asset}/impactAnalyses/{n}");
  }
  return ImpactAnalysisResourceName{
      AssetName{std::string(parts[1]), std::string(parts[3])}, *number};
}

std::string MethodologyResourceName::Parent() const {
  return absl::StrCat("tenants/", tenant);
}

absl::StatusOr<MethodologyResourceName> ParseMethodologyName(
    absl::string_view name, absl::string_view field) {
  if (name.empty()) return InvalidFieldError(field, "is required");
  std::vector<absl::string_view> parts =
      Segments(name).value_or(std::vector<absl::string_view>());
  if (parts.size() != 4 || parts[0] != "tenants" ||
      !IsValidResourceId(parts[1]) || parts[2] != "methodologies" ||
      !IsValidResourceId(parts[3])) {
    return Malformed(field, name,
                     "tenants/{tenant}/methodologies/{methodology}");
  }
  return MethodologyResourceName{std::string(parts[1]), std::string(parts[3])};
}

absl::StatusOr<RiskName> ParseRiskName(absl::string_view name,
                                       absl::string_view field) {
  if (name.empty()) return InvalidFieldError(field, "is required");
  std::vector<absl::string_view> parts =
      Segments(name).value_or(std::vector<absl::string_view>());
  if (parts.size() != 4 || parts[0] != "tenants" ||
      !IsValidResourceId(parts[1]) || parts[2] != "risks" ||
      !domain::IsValidRiskId(parts[3])) {
    return Malformed(field, name, "tenants/{tenant}/risks/{risk_id}");
  }
  return RiskName{std::string(parts[1]), std::string(parts[3])};
}

}  // namespace riskledger
