// ToProto for the methodology and its parts.
#include "services/assessment/methodology_proto.h"

#include "absl/strings/str_cat.h"

namespace riskledger::assessment {
namespace {

void FillScale(const domain::Scale& scale, v1::Scale* out) {
  out->set_name(scale.name);
  for (const domain::ScaleLevel& level : scale.levels) {
    v1::ScaleLevel* level_out = out->add_levels();
    level_out->set_score(level.score);
    level_out->set_name(level.name);
    level_out->set_criterion(level.criterion);
  }
}

v1::AcceptanceAuthority ToProto(domain::AcceptanceAuthority authority) {
  switch (authority) {
    case domain::AcceptanceAuthority::kRiskOwner:
      return v1::ACCEPTANCE_AUTHORITY_RISK_OWNER;
    case domain::AcceptanceAuthority::kRiskOwnerWithJustification:
      return v1::ACCEPTANCE_AUTHORITY_RISK_OWNER_WITH_JUSTIFICATION;
    case domain::AcceptanceAuthority::kTopManagement:
      return v1::ACCEPTANCE_AUTHORITY_TOP_MANAGEMENT;
  }
  return v1::ACCEPTANCE_AUTHORITY_UNSPECIFIED;
}

}  // namespace

std::string MethodologyName(const domain::Methodology& methodology,
                            absl::string_view tenant_name) {
  return absl::StrCat(tenant_name, "/methodologies/", methodology.id);
}

v1::Methodology ToProto(const domain::Methodology& methodology,
                        absl::string_view tenant_name) {
  v1::Methodology out;
  out.set_name(MethodologyName(methodology, tenant_name));
  out.set_version(methodology.version);
  out.set_display_name(methodology.display_name);
  out.set_source(methodology.source);
  FillScale(methodology.impact, out.mutable_impact_scale());
  FillScale(methodology.likelihood, out.mutable_likelihood_scale());
  for (const domain::ImpactCategory& category : methodology.impact_categories) {
    v1::ImpactCategory* category_out = out.add_impact_categories();
    category_out->set_id(category.id);
    category_out->set_name(category.name);
    category_out->set_description(category.description);
    for (const std::string& criterion : category.criteria) {
      category_out->add_criteria(criterion);
    }
  }
  for (const domain::Band& band : methodology.bands) {
    v1::Band* band_out = out.add_bands();
    band_out->set_id(band.id);
    band_out->set_name(band.name);
    band_out->set_min_level(band.min_level);
    band_out->set_max_level(band.max_level);
    band_out->set_required_action(band.required_action);
    band_out->set_review_interval_months(band.review_interval_months);
    band_out->set_acceptance_authority(ToProto(band.acceptance_authority));
    band_out->set_requires_treatment_plan(band.requires_treatment_plan);
    band_out->set_requires_top_management_decision(
        band.requires_top_management_decision);
  }
  out.mutable_screening()->set_mean_threshold(
      methodology.screening.mean_threshold);
  out.mutable_screening()->set_high_score(methodology.screening.high_score);
  out.set_acceptance_level_threshold(methodology.acceptance_level_threshold);
  return out;
}

}  // namespace riskledger::assessment
