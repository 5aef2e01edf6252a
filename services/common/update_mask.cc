// ResolveUpdateMask / ApplyUpdateMask.
#include "services/common/update_mask.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/base/status_details.h"

namespace riskledger {

using google::protobuf::FieldDescriptor;
using google::protobuf::FieldMask;
using google::protobuf::Message;
using google::protobuf::util::FieldMaskUtil;

absl::StatusOr<FieldMask> ResolveUpdateMask(
    const Message& patch, const FieldMask& mask,
    const std::set<std::string>& updatable) {
  const google::protobuf::Descriptor* descriptor = patch.GetDescriptor();
  FieldMask resolved;
  if (mask.paths_size() > 0) {
    for (const std::string& path : mask.paths()) {
      std::string top = path.substr(0, path.find('.'));
      if (updatable.count(top) == 0) {
        return InvalidFieldError(
            "update_mask",
            absl::StrCat("'", path, "' cannot be updated; updatable fields: ",
                         absl::StrJoin(updatable, ", ")));
      }
      std::vector<const FieldDescriptor*> fields;
      if (!FieldMaskUtil::GetFieldDescriptors(descriptor, path, &fields)) {
        return InvalidFieldError("update_mask",
                                 absl::StrCat("'", path, "' is not a field of ",
                                              descriptor->name()));
      }
      resolved.add_paths(path);
    }
    return resolved;
  }
  // Implied mask: the updatable fields the patch sets (AIP-134).
  const google::protobuf::Reflection* reflection = patch.GetReflection();
  for (const std::string& name : updatable) {
    const FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field == nullptr) continue;
    bool set = field->is_repeated() ? reflection->FieldSize(patch, field) > 0
                                    : reflection->HasField(patch, field);
    if (set) resolved.add_paths(name);
  }
  if (resolved.paths_size() == 0) {
    return InvalidFieldError(
        "update_mask", "is empty and the request sets no updatable field");
  }
  return resolved;
}

void ApplyUpdateMask(const Message& patch, const FieldMask& mask,
                     Message* target) {
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, mask, options, target);
}

}  // namespace riskledger
