// Conversions between absl::Time and google.protobuf.Timestamp.
#ifndef RISKLEDGER_SERVICES_COMMON_PROTO_TIME_H_
#define RISKLEDGER_SERVICES_COMMON_PROTO_TIME_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace riskledger {

inline google::protobuf::Timestamp ToProtoTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1000000;
  int64_t remainder = micros % 1000000;
  if (remainder < 0) {  // Timestamp nanos are never negative
    remainder += 1000000;
    --seconds;
  }
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(remainder * 1000));
  return timestamp;
}

inline absl::Time FromProtoTimestamp(
    const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_PROTO_TIME_H_
