// ApplyFieldChanges: protobuf's FieldMaskUtil with whole-field replacement.
#include "services/domain/field_changes.h"

#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/field_mask_util.h"

namespace riskledger::domain {

void ApplyFieldChanges(
    const google::protobuf::RepeatedPtrField<std::string>& fields,
    const google::protobuf::Message& values,
    google::protobuf::Message& target) {
  google::protobuf::FieldMask mask;
  for (const std::string& field : fields) {
    if (target.GetDescriptor()->FindFieldByName(field) != nullptr) {
      mask.add_paths(field);
    }
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(values, mask, options,
                                                        &target);
}

}  // namespace riskledger::domain
