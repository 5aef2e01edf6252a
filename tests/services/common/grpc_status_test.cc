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

google::rpc::ErrorInfo InfoOf(const grpc::Status& status) {
  google::rpc::ErrorInfo info;
  const google::rpc::Status rich = Details(status);
  for (const auto& detail : rich.details()) {
    if (detail.UnpackTo(&info)) return info;
  }
  ADD_FAILURE() << "no ErrorInfo in " << status.error_message();
  return info;
}

TEST(GrpcStatusTest, OkStaysOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(GrpcStatusTest, EveryErrorKeepsCodeAndMessageAndHasAReason) {
  struct Case {
    absl::Status status;
    grpc::StatusCode code;
    const char* reason;
  };
  const Case cases[] = {
      {absl::NotFoundError("risk 'x' does not exist"),
       grpc::StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND"},
      {absl::AlreadyExistsError("asset exists"),
       grpc::StatusCode::ALREADY_EXISTS, "RESOURCE_ALREADY_EXISTS"},
      {absl::AbortedError("stale"), grpc::StatusCode::ABORTED,
       "CONCURRENT_MODIFICATION"},
      {absl::DataLossError("chain broken"), grpc::StatusCode::DATA_LOSS,
       "DATA_LOSS"},
      {absl::InternalError("oops"), grpc::StatusCode::INTERNAL,
       "INTERNAL_ERROR"},
  };
  for (const Case& c : cases) {
    grpc::Status status = ToGrpcStatus(c.status);
    EXPECT_EQ(status.error_code(), c.code);
    EXPECT_EQ(status.error_message(), c.status.message());
    google::rpc::ErrorInfo info = InfoOf(status);
    EXPECT_EQ(info.reason(), c.reason);
    EXPECT_EQ(info.domain(), "riskledger.v1");
    EXPECT_EQ(Details(status).code(), static_cast<int>(c.code));
  }
}

TEST(GrpcStatusTest, FieldViolationsBecomeBadRequest) {
  grpc::Status status = ToGrpcStatus(InvalidFieldsError(
      {{"impact", "must be between 1 and 5"}, {"risk.owner", "is required"}}));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(InfoOf(status).reason(), "INVALID_FIELD");
  google::rpc::BadRequest bad_request;
  bool found = false;
  const google::rpc::Status rich = Details(status);
  for (const auto& detail : rich.details()) {
    found = found || detail.UnpackTo(&bad_request);
  }
  ASSERT_TRUE(found);
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "impact");
  EXPECT_EQ(bad_request.field_violations(1).field(), "risk.owner");
  EXPECT_EQ(bad_request.field_violations(1).description(), "is required");
}

TEST(GrpcStatusTest, RuleViolationsNameTheRule) {
  grpc::Status status =
      ToGrpcStatus(RuleViolationError(absl::StatusCode::kFailedPrecondition,
                                      "M4", "risk has not been analysed"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  google::rpc::ErrorInfo info = InfoOf(status);
  EXPECT_EQ(info.reason(), "METHODOLOGY_RULE");
  EXPECT_EQ(info.metadata().at("rule"), "M4");
}

}  // namespace
}  // namespace riskledger
