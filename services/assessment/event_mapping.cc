// Field-by-field mapping between API and event messages. Enum values are
// converted by number: the event enums were written with the same numbers,
// and a number the other side does not know stays unknown, never renamed.
#include "services/assessment/event_mapping.h"

#include <algorithm>

namespace riskledger::assessment {
namespace {

namespace ev = events::v1;

template <typename To, typename From>
To Enum(From value) {
  return static_cast<To>(static_cast<int>(value));
}

}  // namespace

ev::AssetAttributes AttributesOf(const v1::Asset& asset) {
  ev::AssetAttributes out;
  out.set_display_name(asset.display_name());
  out.set_description(asset.description());
  out.set_information_system(asset.information_system());
  for (const v1::Component& component : asset.components()) {
    ev::Component* c = out.add_components();
    c->set_name(component.name());
    c->set_description(component.description());
  }
  out.set_owner(asset.owner());
  if (asset.has_value_assessment()) {
    const v1::ValueAssessment& in = asset.value_assessment();
    ev::ValueAssessment* v = out.mutable_value_assessment();
    v->set_confidentiality(Enum<ev::ValueLevel>(in.confidentiality()));
    v->set_integrity(Enum<ev::ValueLevel>(in.integrity()));
    v->set_availability(Enum<ev::ValueLevel>(in.availability()));
    v->set_rationale(in.rationale());
  }
  if (asset.has_personal_data()) {
    const v1::PersonalData& in = asset.personal_data();
    ev::PersonalData* p = out.mutable_personal_data();
    p->set_contains_personal_data(in.contains_personal_data());
    p->set_special_categories(in.special_categories());
    p->set_identifiability(Enum<ev::Identifiability>(in.identifiability()));
  }
  out.set_dpia_required(asset.dpia_required());
  out.set_project_size(Enum<ev::ProjectSize>(asset.project_size()));
  out.set_project_duration_months(asset.project_duration_months());
  return out;
}

void SetAttributes(const ev::AssetAttributes& in, v1::Asset& asset) {
  asset.set_display_name(in.display_name());
  asset.set_description(in.description());
  asset.set_information_system(in.information_system());
  asset.clear_components();
  for (const ev::Component& component : in.components()) {
    v1::Component* c = asset.add_components();
    c->set_name(component.name());
    c->set_description(component.description());
  }
  asset.set_owner(in.owner());
  asset.clear_value_assessment();
  if (in.has_value_assessment()) {
    const ev::ValueAssessment& v = in.value_assessment();
    v1::ValueAssessment* out = asset.mutable_value_assessment();
    out->set_confidentiality(Enum<v1::ValueLevel>(v.confidentiality()));
    out->set_integrity(Enum<v1::ValueLevel>(v.integrity()));
    out->set_availability(Enum<v1::ValueLevel>(v.availability()));
    out->set_rationale(v.rationale());
  }
  asset.clear_personal_data();
  if (in.has_personal_data()) {
    const ev::PersonalData& p = in.personal_data();
    v1::PersonalData* out = asset.mutable_personal_data();
    out->set_contains_personal_data(p.contains_personal_data());
    out->set_special_categories(p.special_categories());
    out->set_identifiability(Enum<v1::Identifiability>(p.identifiability()));
  }
  asset.set_dpia_required(in.dpia_required());
  asset.set_project_size(Enum<v1::ProjectSize>(in.project_size()));
  asset.set_project_duration_months(in.project_duration_months());
}

ev::RiskIdentification IdentificationOf(const v1::Risk& risk) {
  ev::RiskIdentification out;
  out.set_component(risk.component());
  out.set_vulnerability(risk.vulnerability());
  if (risk.has_threat()) {
    ev::Threat* t = out.mutable_threat();
    t->set_actor(risk.threat().actor());
    t->set_attack_method(risk.threat().attack_method());
    t->set_catalogue_reference(risk.threat().catalogue_reference());
  }
  out.set_risk_factor(risk.risk_factor());
  out.set_risk_event(risk.risk_event());
  out.set_loss(risk.loss());
  for (int property : risk.affected_properties()) {
    out.add_affected_properties(Enum<ev::SecurityProperty>(property));
  }
  out.set_impact_description(risk.impact_description());
  if (risk.has_largest_loss()) {
    ev::LargestLoss* l = out.mutable_largest_loss();
    l->set_service(risk.largest_loss().service());
    l->set_financial(risk.largest_loss().financial());
    l->set_reputation(risk.largest_loss().reputation());
  }
  out.set_owner(risk.owner());
  for (const std::string& control : risk.existing_controls()) {
    out.add_existing_controls(control);
  }
  out.set_source(Enum<ev::RiskSource>(risk.source()));
  return out;
}

void SetIdentification(const ev::RiskIdentification& in, v1::Risk& risk) {
  risk.set_component(in.component());
  risk.set_vulnerability(in.vulnerability());
  risk.clear_threat();
  if (in.has_threat()) {
    v1::Threat* t = risk.mutable_threat();
    t->set_actor(in.threat().actor());
    t->set_attack_method(in.threat().attack_method());
    t->set_catalogue_reference(in.threat().catalogue_reference());
  }
  risk.set_risk_factor(in.risk_factor());
  risk.set_risk_event(in.risk_event());
  risk.set_loss(in.loss());
  risk.clear_affected_properties();
  for (int property : in.affected_properties()) {
    risk.add_affected_properties(Enum<v1::SecurityProperty>(property));
  }
  risk.set_impact_description(in.impact_description());
  risk.clear_largest_loss();
  if (in.has_largest_loss()) {
    v1::LargestLoss* l = risk.mutable_largest_loss();
    l->set_service(in.largest_loss().service());
    l->set_financial(in.largest_loss().financial());
    l->set_reputation(in.largest_loss().reputation());
  }
  risk.set_owner(in.owner());
  risk.clear_existing_controls();
  for (const std::string& control : in.existing_controls()) {
    risk.add_existing_controls(control);
  }
  risk.set_source(Enum<v1::RiskSource>(in.source()));
}

ev::CategoryScore ToEvent(const v1::CategoryScore& score) {
  ev::CategoryScore out;
  out.set_category(score.category());
  out.set_score(score.score());
  out.set_rationale(score.rationale());
  return out;
}

v1::CategoryScore ToApi(const ev::CategoryScore& score) {
  v1::CategoryScore out;
  out.set_category(score.category());
  out.set_score(score.score());
  out.set_rationale(score.rationale());
  return out;
}

v1::RiskStatus ToApi(ev::RiskStatus status) {
  return Enum<v1::RiskStatus>(status);
}

std::vector<std::string> TopLevelFields(
    const google::protobuf::RepeatedPtrField<std::string>& paths) {
  std::vector<std::string> fields;
  for (const std::string& path : paths) {
    std::string field = path.substr(0, path.find('.'));
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
      fields.push_back(std::move(field));
    }
  }
  return fields;
}

}  // namespace riskledger::assessment
