// Field-mask updates (AIP-134) on top of protobuf's FieldMaskUtil.
#ifndef RISKLEDGER_SERVICES_COMMON_UPDATE_MASK_H_
#define RISKLEDGER_SERVICES_COMMON_UPDATE_MASK_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace riskledger {

// The mask an update applies. A non-empty `mask` must name only fields whose
// first path segment is in `updatable` (nested paths such as
// "threat.actor" are allowed beneath them); an empty mask means every
// updatable top-level field that is set in `patch`. INVALID_ARGUMENT naming
// "update_mask" otherwise, or when nothing would be updated.
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
