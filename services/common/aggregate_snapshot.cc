// Snapshot keys and encoding.
#include "services/common/aggregate_snapshot.h"

namespace riskledger {

std::string SnapshotKey(absl::string_view stream) {
  return storage::StreamStateKey(stream);
}

std::string EncodeSnapshot(int64_t version,
                           const google::protobuf::Message& state) {
  return absl::StrCat(storage::EncodeKeyU64(static_cast<uint64_t>(version)),
                      state.SerializeAsString());
}

absl::StatusOr<int64_t> DecodeSnapshot(absl::string_view stream,
                                       absl::string_view bytes,
                                       google::protobuf::Message& state) {
  constexpr size_t kVersionSize = 8;
  if (bytes.size() < kVersionSize ||
      !state.ParseFromArray(bytes.data() + kVersionSize,
                            static_cast<int>(bytes.size() - kVersionSize))) {
    return absl::DataLossError(
        absl::StrCat("state snapshot of ", stream, " is corrupt"));
  }
  return static_cast<int64_t>(
      storage::DecodeKeyU64(bytes.substr(0, kVersionSize)));
}

}  // namespace riskledger
