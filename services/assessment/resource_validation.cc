// Asset and Risk field validation.
#include "services/assessment/resource_validation.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "services/common/field_checks.h"
#include "services/common/resource_names.h"

namespace riskledger::assessment {
namespace {

// Longest project duration accepted, in months (a century).
constexpr int kMaxProjectDurationMonths = 1200;

std::string Path(absl::string_view prefix, absl::string_view field) {
  return absl::StrCat(prefix, field);
}

}  // namespace

void ValidateAsset(const v1::Asset& asset, absl::string_view prefix,
                   FieldViolationCollector& violations) {
  CheckRequiredText(violations, Path(prefix, "display_name"),
                    asset.display_name(), kMaxShortText);
  CheckLength(violations, Path(prefix, "description"), asset.description(),
              kMaxLongText);
  CheckLength(violations, Path(prefix, "information_system"),
              asset.information_system(), kMaxShortText);
  CheckRequiredText(violations, Path(prefix, "owner"), asset.owner(),
                    kMaxShortText);
  const int components_to_check = EntriesToCheck(
      violations, Path(prefix, "components"), asset.components_size());
  std::set<std::string> component_names;
  for (int i = 0; i < components_to_check; ++i) {
    const v1::Component& component = asset.components(i);
    std::string field = Path(prefix, absl::StrCat("components[", i, "]"));
    CheckRequiredText(violations, field + ".name", component.name(),
                      kMaxShortText);
    CheckLength(violations, field + ".description", component.description(),
                kMaxLongText);
    if (!component.name().empty() &&
        !component_names.insert(component.name()).second) {
      violations.Add(
          field + ".name",
          absl::StrCat("appears twice: ", EchoInput(component.name())));
    }
  }
  const v1::ValueAssessment& value = asset.value_assessment();
  CheckEnum(violations, Path(prefix, "value_assessment.confidentiality"),
            value.confidentiality(), v1::ValueLevel_IsValid, false);
  CheckEnum(violations, Path(prefix, "value_assessment.integrity"),
            value.integrity(), v1::ValueLevel_IsValid, false);
  CheckEnum(violations, Path(prefix, "value_assessment.availability"),
            value.availability(), v1::ValueLevel_IsValid, false);
  CheckLength(violations, Path(prefix, "value_assessment.rationale"),
              value.rationale(), kMaxLongText);
  CheckEnum(violations, Path(prefix, "personal_data.identifiability"),
            asset.personal_data().identifiability(),
            v1::Identifiability_IsValid, false);
  CheckEnum(violations, Path(prefix, "project_size"), asset.project_size(),
            v1::ProjectSize_IsValid, false);
  if (asset.project_duration_months() < 0 ||
      asset.project_duration_months() > kMaxProjectDurationMonths) {
    violations.Add(
        Path(prefix, "project_duration_months"),
        absl::StrCat("must be between 0 and ", kMaxProjectDurationMonths));
  }
}

void ValidateRiskIdentification(const v1::Risk& risk, absl::string_view prefix,
                                FieldViolationCollector& violations) {
  std::string asset_field = Path(prefix, "asset");
  violations.Merge(ParseAssetName(risk.asset(), asset_field).status(),
                   asset_field);
  CheckLength(violations, Path(prefix, "component"), risk.component(),
              kMaxShortText);
  CheckRequiredText(violations, Path(prefix, "vulnerability"),
                    risk.vulnerability(), kMaxLongText);
  CheckRequiredText(violations, Path(prefix, "threat.actor"),
                    risk.threat().actor(), kMaxShortText);
  CheckLength(violations, Path(prefix, "threat.attack_method"),
              risk.threat().attack_method(), kMaxLongText);
  CheckLength(violations, Path(prefix, "threat.catalogue_reference"),
              risk.threat().catalogue_reference(), kMaxShortText);
  CheckRequiredText(violations, Path(prefix, "risk_factor"), risk.risk_factor(),
                    kMaxLongText);
  CheckRequiredText(violations, Path(prefix, "risk_event"), risk.risk_event(),
                    kMaxLongText);
  CheckRequiredText(violations, Path(prefix, "loss"), risk.loss(),
                    kMaxLongText);
  if (risk.affected_properties_size() == 0) {
    violations.Add(Path(prefix, "affected_properties"),
                   "needs at least one affected property (M3)");
  }
  const int properties_to_check =
      EntriesToCheck(violations, Path(prefix, "affected_properties"),
                     risk.affected_properties_size());
  std::set<int> properties;
  for (int i = 0; i < properties_to_check; ++i) {
    std::string field =
        Path(prefix, absl::StrCat("affected_properties[", i, "]"));
    int property = risk.affected_properties(i);
    CheckEnum(violations, field, property, v1::SecurityProperty_IsValid, true);
    if (!properties.insert(property).second) {
      violations.Add(field, "appears twice");
    }
  }
  CheckLength(violations, Path(prefix, "impact_description"),
              risk.impact_description(), kMaxLongText);
  CheckLength(violations, Path(prefix, "largest_loss.service"),
              risk.largest_loss().service(), kMaxLongText);
  CheckLength(violations, Path(prefix, "largest_loss.financial"),
              risk.largest_loss().financial(), kMaxLongText);
  CheckLength(violations, Path(prefix, "largest_loss.reputation"),
              risk.largest_loss().reputation(), kMaxLongText);
  CheckRequiredText(violations, Path(prefix, "owner"), risk.owner(),
                    kMaxShortText);
  const int controls_to_check =
      EntriesToCheck(violations, Path(prefix, "existing_controls"),
                     risk.existing_controls_size());
  std::set<std::string> controls;
  for (int i = 0; i < controls_to_check; ++i) {
    const std::string field =
        Path(prefix, absl::StrCat("existing_controls[", i, "]"));
    CheckRequiredText(violations, field, risk.existing_controls(i),
                      kMaxShortText);
    if (!controls.insert(risk.existing_controls(i)).second) {
      violations.Add(field, "appears twice");
    }
  }
  CheckEnum(violations, Path(prefix, "source"), risk.source(),
            v1::RiskSource_IsValid, true);
}

}  // namespace riskledger::assessment
