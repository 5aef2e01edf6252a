// Tests of field-mask updates (AIP-134).
#include "services/common/update_mask.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/base/status_details.h"

namespace riskledger {
namespace {

const std::set<std::string> kUpdatable = {"display_name", "owner", "components",
                                          "value_assessment"};

v1::Asset Original() {
  v1::Asset asset;
  asset.set_name("tenants/t/assets/a");
  asset.set_display_name("HR database");
  asset.set_owner("alice");
  asset.add_components()->set_name("db");
  asset.add_components()->set_name("backup");
  asset.mutable_value_assessment()->set_confidentiality(v1::VALUE_LEVEL_HIGH);
  asset.mutable_value_assessment()->set_integrity(v1::VALUE_LEVEL_LOW);
  return asset;
}

TEST(UpdateMaskTest, ExplicitMaskReplacesOnlyNamedFields) {
  v1::Asset patch;
  patch.set_display_name("ignored: not in mask");
  patch.set_owner("bob");
  patch.add_components()->set_name("api");
  google::protobuf::FieldMask mask;
  mask.add_paths("owner");
  mask.add_paths("components");
  absl::StatusOr<google::protobuf::FieldMask> resolved =
      ResolveUpdateMask(patch, mask, kUpdatable);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  v1::Asset target = Original();
  ApplyUpdateMask(patch, *resolved, &target);
  EXPECT_EQ(target.display_name(), "HR database");
  EXPECT_EQ(target.owner(), "bob");
  ASSERT_EQ(target.components_size(), 1);  // replaced, not appended
  EXPECT_EQ(target.components(0).name(), "api");
}

TEST(UpdateMaskTest, NestedPathUpdatesOneSubfield) {
  v1::Asset patch;
  patch.mutable_value_assessment()->set_integrity(v1::VALUE_LEVEL_HIGH);
  google::protobuf::FieldMask mask;
  mask.add_paths("value_assessment.integrity");
  absl::StatusOr<google::protobuf::FieldMask> resolved =
      ResolveUpdateMask(patch, mask, kUpdatable);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  v1::Asset target = Original();
  ApplyUpdateMask(patch, *resolved, &target);
  EXPECT_EQ(target.value_assessment().integrity(), v1::VALUE_LEVEL_HIGH);
  EXPECT_EQ(target.value_assessment().confidentiality(), v1::VALUE_LEVEL_HIGH);
}

TEST(UpdateMaskTest, EmptyMaskMeansTheUpdatableFieldsThatAreSet) {
  v1::Asset patch;
  patch.set_name("tenants/t/assets/a");  // set, but not updatable
  patch.set_owner("carol");
  absl::StatusOr<google::protobuf::FieldMask> resolved =
      ResolveUpdateMask(patch, google::protobuf::FieldMask(), kUpdatable);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  ASSERT_EQ(resolved->paths_size(), 1);
  EXPECT_EQ(resolved->paths(0), "owner");
}

TEST(UpdateMaskTest, RejectsUnknownImmutableAndEmptyUpdates) {
  google::protobuf::FieldMask unknown;
  unknown.add_paths("colour");
  google::protobuf::FieldMask immutable;
  immutable.add_paths("name");
  google::protobuf::FieldMask bad_nested;
  bad_nested.add_paths("value_assessment.colour");
  for (const auto& mask : {unknown, immutable, bad_nested}) {
    absl::Status status =
        ResolveUpdateMask(v1::Asset(), mask, kUpdatable).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    ASSERT_EQ(FieldViolationsOf(status).size(), 1u);
    EXPECT_EQ(FieldViolationsOf(status)[0].field, "update_mask");
  }
  EXPECT_EQ(
      ResolveUpdateMask(v1::Asset(), google::protobuf::FieldMask(), kUpdatable)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
}

// Every one of these was once accepted (only the first segment was checked)
// and its raw path stored in the log.
TEST(UpdateMaskTest, RejectsNonCanonicalPaths) {
  for (const std::string& path : std::vector<std::string>{
           "owner.", "value_assessment..rationale", ".owner", "owner ",
           " owner", "Owner", "owner.name", "components.name",
           "value_assessment.", "value_assessment.rationale.x",
           std::string("owner\0", 6), "", std::string(200, 'a')}) {
    google::protobuf::FieldMask mask;
    mask.add_paths(path);
    absl::Status status =
        ResolveUpdateMask(v1::Asset(), mask, kUpdatable).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << path;
    ASSERT_EQ(FieldViolationsOf(status).size(), 1u) << path;
    EXPECT_EQ(FieldViolationsOf(status)[0].field, "update_mask");
    EXPECT_LE(status.message().size(), kMaxErrorMessageBytes);
  }
}

TEST(UpdateMaskTest, RejectsDuplicateAndOverlappingPaths) {
  for (const auto& paths : std::vector<std::vector<std::string>>{
           {"owner", "owner"},
           {"value_assessment", "value_assessment.integrity"},
           {"value_assessment.integrity", "value_assessment"}}) {
    google::protobuf::FieldMask mask;
    for (const std::string& path : paths) mask.add_paths(path);
    EXPECT_EQ(ResolveUpdateMask(v1::Asset(), mask, kUpdatable).status().code(),
              absl::StatusCode::kInvalidArgument)
        << paths[0] << ", " << paths[1];
  }
  google::protobuf::FieldMask siblings;
  siblings.add_paths("value_assessment.integrity");
  siblings.add_paths("value_assessment.integrity_note_is_not_a_prefix");
  EXPECT_NE(ResolveUpdateMask(v1::Asset(), siblings, kUpdatable)
                .status()
                .message()
                .find("not a field"),
            absl::string_view::npos);
}

TEST(UpdateMaskTest, RejectsTooManyPaths) {
  google::protobuf::FieldMask mask;
  for (int i = 0; i < kMaxMaskPaths + 1; ++i) mask.add_paths("owner");
  absl::Status status =
      ResolveUpdateMask(v1::Asset(), mask, kUpdatable).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("at most"), absl::string_view::npos);
}

}  // namespace
}  // namespace riskledger
