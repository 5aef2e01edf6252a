// Checks of google.protobuf.Timestamp request fields.
#ifndef RISKLEDGER_SERVICES_COMMON_TIMESTAMP_CHECKS_H_
#define RISKLEDGER_SERVICES_COMMON_TIMESTAMP_CHECKS_H_

#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/base/status_details.h"

namespace riskledger {

// Records a violation of `field` unless `timestamp` is a valid Timestamp:
// seconds within 0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z and nanos in
// [0, 999999999], as the type's documentation requires.
void CheckTimestamp(FieldViolationCollector& violations,
                    absl::string_view field,
                    const google::protobuf::Timestamp& timestamp);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_TIMESTAMP_CHECKS_H_
