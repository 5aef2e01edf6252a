// Tests of the per-call exception guard.
#include "services/common/call_guard.h"

#include <new>
#include <stdexcept>
#include <string>

#include "gtest/gtest.h"

namespace riskledger {
namespace {

TEST(GuardCallTest, PassesTheHandlersStatusThrough) {
  EXPECT_TRUE(GuardCall("/m", [] { return grpc::Status::OK; }).ok());
  grpc::Status denied = GuardCall(
      "/m", [] { return grpc::Status(grpc::StatusCode::NOT_FOUND, "nope"); });
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST(GuardCallTest, TurnsAnyExceptionIntoInternalWithoutItsText) {
  grpc::Status length = GuardCall("/m", []() -> grpc::Status {
    throw std::length_error("basic_string::_M_create secret-detail");
  });
  EXPECT_EQ(length.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(length.error_message().find("secret-detail"), std::string::npos);
  EXPECT_FALSE(length.error_details().empty());

  grpc::Status alloc =
      GuardCall("/m", []() -> grpc::Status { throw std::bad_alloc(); });
  EXPECT_EQ(alloc.error_code(), grpc::StatusCode::INTERNAL);

  grpc::Status odd = GuardCall("/m", []() -> grpc::Status { throw 42; });
  EXPECT_EQ(odd.error_code(), grpc::StatusCode::INTERNAL);
}

}  // namespace
}  // namespace riskledger
