// Tests that absl statuses reach clients as google.rpc.Status details.
#include "services/common/grpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "services/base/status_details.h"

namespace riskledger {
namespace {

google::rpc::Status Details(const grpc::Status& status) {
  google::rpc::Status rich;
  EXPECT_TRUE(rich.ParseFromString(status.error_details()));
  return rich;
}

TEST(GrpcStatusTest, OkStaysOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(GrpcStatusTest, PlainErrorsKeepCodeAndMessage) {
  grpc::Status status =
      ToGrpcStatus(absl::NotFoundError("risk 'x' does not exist"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "risk 'x' does not exist");
  EXPECT_TRUE(status.error_details().empty());
  EXPECT_EQ(ToGrpcStatus(absl::AbortedError("stale")).error_code(),
            grpc::StatusCode::ABORTED);
}

TEST(GrpcStatusTest, FieldViolationsBecomeBadRequest) {
  grpc::Status status = ToGrpcStatus(InvalidFieldsError(
      {{"impact", "must be between 1 and 5"}, {"risk.owner", "is required"}}));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rich = Details(status);
  EXPECT_EQ(rich.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  ASSERT_EQ(rich.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(rich.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "impact");
  EXPECT_EQ(bad_request.field_violations(1).field(), "risk.owner");
  EXPECT_EQ(bad_request.field_violations(1).description(), "is required");
}

TEST(GrpcStatusTest, RuleViolationsBecomeErrorInfo) {
  grpc::Status status =
      ToGrpcStatus(RuleViolationError(absl::StatusCode::kFailedPrecondition,
                                      "M4", "risk has not been analysed"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  google::rpc::Status rich = Details(status);
  ASSERT_EQ(rich.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(rich.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "METHODOLOGY_RULE");
  EXPECT_EQ(info.domain(), "riskledger.v1");
  EXPECT_EQ(info.metadata().at("rule"), "M4");
}

}  // namespace
}  // namespace riskledger
