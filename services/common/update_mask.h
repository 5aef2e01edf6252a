// Field-mask updates (AIP-134) on top of protobuf's FieldMaskUtil.
#ifndef RISKLEDGER_SERVICES_COMMON_UPDATE_MASK_H_
#define RISKLEDGER_SERVICES_COMMON_UPDATE_MASK_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace riskledger {

// Most paths in one mask, and the longest path.
inline constexpr int kMaxMaskPaths = 32;
inline constexpr size_t kMaxMaskPathLength = 128;

// OK when `path` is a canonical field path of `descriptor`: lower_snake_case
// field names joined by single dots, each naming a field of the message the
// previous one names (only the last may be repeated or a scalar), at most
// kMaxMaskPathLength characters. INVALID_ARGUMENT naming "update_mask"
// otherwise ("owner.", "a..b", ".owner", "Owner", "owner " are all refused).
absl::Status CheckMaskPath(const google::protobuf::Descriptor& descriptor,
                           absl::string_view path);

// The mask an update applies. A non-empty `mask` must hold at most
// kMaxMaskPaths paths, each passing CheckMaskPath, whose first segment is in
// `updatable` (nested paths such as "threat.actor" are allowed beneath
// them), and no two of which overlap ("threat" and "threat.actor"); an empty
// mask means every updatable top-level field that is set in `patch`.
// INVALID_ARGUMENT naming "update_mask" otherwise, or when nothing would be
// updated.
absl::StatusOr<google::protobuf::FieldMask> ResolveUpdateMask(
    const google::protobuf::Message& patch,
    const google::protobuf::FieldMask& mask,
    const std::set<std::string>& updatable);

// Copies the fields named by `mask` from `patch` into `target`; repeated and
// message fields are replaced, not merged.
void ApplyUpdateMask(const google::protobuf::Message& patch,
                     const google::protobuf::FieldMask& mask,
                     google::protobuf::Message* target);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_UPDATE_MASK_H_
