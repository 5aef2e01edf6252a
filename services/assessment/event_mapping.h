// Between the public API messages (riskledger.v1) and the storage-owned event
// messages (riskledger.events.v1): the one place that knows both, so that
// either can change without the other. Field by field, never by bytes.
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_EVENT_MAPPING_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_EVENT_MAPPING_H_

#include <string>
#include <vector>

#include "riskledger/events/v1/assessment_events.pb.h"
#include "riskledger/v1/assessment_service.pb.h"

namespace riskledger::assessment {

// The client-settable attributes of `asset`.
events::v1::AssetAttributes AttributesOf(const v1::Asset& asset);
// Sets the attribute fields of `asset` to `attributes` (others untouched).
void SetAttributes(const events::v1::AssetAttributes& attributes,
                   v1::Asset& asset);

// The identification fields of `risk` (M3).
events::v1::RiskIdentification IdentificationOf(const v1::Risk& risk);
// Sets the identification fields of `risk` (others untouched).
void SetIdentification(const events::v1::RiskIdentification& identification,
                       v1::Risk& risk);

events::v1::CategoryScore ToEvent(const v1::CategoryScore& score);
v1::CategoryScore ToApi(const events::v1::CategoryScore& score);
v1::RiskStatus ToApi(events::v1::RiskStatus status);

// The top-level fields named by update-mask `paths` ("a.b" names "a"), in
// order, each once: the fields a partial update replaces.
std::vector<std::string> TopLevelFields(
    const google::protobuf::RepeatedPtrField<std::string>& paths);

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_EVENT_MAPPING_H_
