#include "services/common/timestamp_checks.h"

#include "google/protobuf/util/time_util.h"

namespace riskledger {

void CheckTimestamp(FieldViolationCollector& violations,
                    absl::string_view field,
                    const google::protobuf::Timestamp& timestamp) {
  using google::protobuf::util::TimeUtil;
  if (timestamp.seconds() < TimeUtil::kTimestampMinSeconds ||
      timestamp.seconds() > TimeUtil::kTimestampMaxSeconds ||
      timestamp.nanos() < 0 || timestamp.nanos() > 999999999) {
    violations.Add(field,
                   "is not a valid timestamp (years 0001 to 9999, nanos "
                   "from 0 to 999999999)");
  }
}

}  // namespace riskledger
