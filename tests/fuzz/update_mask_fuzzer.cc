// Fuzzes the mask-path parser: the input is split on '\n' into mask paths
// and resolved against Asset and Risk. Properties: an accepted path is built
// only of [a-z0-9_.], has no empty segment, and applying an accepted mask
// never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "absl/strings/str_split.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/common/update_mask.h"

namespace riskledger {
namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

bool LooksCanonical(const std::string& path) {
  if (path.empty() || path.front() == '.' || path.back() == '.' ||
      path.find("..") != std::string::npos) {
    return false;
  }
  for (char c : path) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

template <typename Resource>
void Resolve(const google::protobuf::FieldMask& mask,
             const std::set<std::string>& updatable) {
  Resource patch;
  patch.set_owner("x");
  absl::StatusOr<google::protobuf::FieldMask> resolved =
      ResolveUpdateMask(patch, mask, updatable);
  if (!resolved.ok()) return;
  for (const std::string& path : resolved->paths()) {
    Require(LooksCanonical(path));
    Require(updatable.count(path.substr(0, path.find('.'))) == 1);
  }
  Resource target;
  ApplyUpdateMask(patch, *resolved, &target);
}

}  // namespace
}  // namespace riskledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;  // NOLINT(google-build-using-namespace)
  const std::string input(reinterpret_cast<const char*>(data), size);
  google::protobuf::FieldMask mask;
  for (absl::string_view path : absl::StrSplit(input, '\n')) {
    mask.add_paths(std::string(path));
  }
  Resolve<v1::Asset>(mask, {"display_name", "owner", "components",
                            "value_assessment", "personal_data"});
  Resolve<v1::Risk>(mask, {"owner", "threat", "largest_loss",
                           "affected_properties", "component"});
  return 0;
}
