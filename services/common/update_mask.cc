// ResolveUpdateMask / ApplyUpdateMask: the one strict parser of mask paths.
#include "services/common/update_mask.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/base/status_details.h"
#include "services/base/status_macros.h"

namespace riskledger {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FieldMask;
using google::protobuf::Message;
using google::protobuf::util::FieldMaskUtil;

namespace {

constexpr char kMaskField[] = "update_mask";

// A proto field name as protoc accepts it in our files: [a-z][a-z0-9_]*.
bool IsFieldNameSegment(absl::string_view segment) {
  if (segment.empty() ||
      !absl::ascii_islower(static_cast<unsigned char>(segment[0]))) {
    return false;
  }
  for (char c : segment) {
    auto u = static_cast<unsigned char>(c);
    if (!absl::ascii_islower(u) && !absl::ascii_isdigit(u) && c != '_') {
      return false;
    }
  }
  return true;
}

absl::Status PathError(absl::string_view path, absl::string_view why) {
  // The reason first: if the description is cut, the echo goes, not it.
  return InvalidFieldError(kMaskField,
                           absl::StrCat("path ", why, ": ", EchoInput(path)));
}

// Whether `a` equals `b` or one names a field inside the other.
bool Overlaps(absl::string_view a, absl::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  return b.substr(0, a.size()) == a &&
         (b.size() == a.size() || b[a.size()] == '.');
}

}  // namespace

absl::Status CheckMaskPath(const Descriptor& descriptor,
                           absl::string_view path) {
  if (path.empty()) return PathError(path, "is empty");
  if (path.size() > kMaxMaskPathLength) {
    return PathError(path, absl::StrCat("is longer than ", kMaxMaskPathLength,
                                        " characters"));
  }
  const Descriptor* message = &descriptor;
  std::vector<absl::string_view> segments = absl::StrSplit(path, '.');
  for (size_t i = 0; i < segments.size(); ++i) {
    if (!IsFieldNameSegment(segments[i])) {
      return PathError(path,
                       "is not a field path (lower_snake_case names joined "
                       "by single dots)");
    }
    const FieldDescriptor* field =
        message == nullptr ? nullptr
                           : message->FindFieldByName(std::string(segments[i]));
    if (field == nullptr) {
      return PathError(path,
                       absl::StrCat("is not a field of ", descriptor.name()));
    }
    const bool last = i + 1 == segments.size();
    if (!last && (field->is_repeated() ||
                  field->type() != FieldDescriptor::TYPE_MESSAGE)) {
      return PathError(path, absl::StrCat("goes inside '", field->name(),
                                          "', which is not a single message"));
    }
    message = field->message_type();
  }
  return absl::OkStatus();
}

absl::StatusOr<FieldMask> ResolveUpdateMask(
    const Message& patch, const FieldMask& mask,
    const std::set<std::string>& updatable) {
  const Descriptor* descriptor = patch.GetDescriptor();
  FieldMask resolved;
  if (mask.paths_size() > 0) {
    if (mask.paths_size() > kMaxMaskPaths) {
      return InvalidFieldError(
          kMaskField,
          absl::StrCat("has ", mask.paths_size(), " paths; at most ",
                       kMaxMaskPaths, " are allowed"));
    }
    for (const std::string& path : mask.paths()) {
      RETURN_IF_ERROR(CheckMaskPath(*descriptor, path));
      const std::string top = path.substr(0, path.find('.'));
      if (updatable.count(top) == 0) {
        return PathError(path,
                         absl::StrCat("cannot be updated; updatable fields: ",
                                      absl::StrJoin(updatable, ", ")));
      }
      for (const std::string& earlier : resolved.paths()) {
        if (Overlaps(earlier, path)) {
          return PathError(path, absl::StrCat("overlaps '", earlier,
                                              "'; name each field once"));
        }
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
        kMaskField, "is empty and the request sets no updatable field");
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
