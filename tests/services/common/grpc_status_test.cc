// Tests that absl statuses reach clients as google.rpc.Status details.
#include "services/common/grpc_status.h"

#include <string>
#include <vector>

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

// Details travel as google.rpc protos: no character of a field path or a
// description can split one violation into two (the old encoding used
// \x1e/\x1f separators, so an etag "1\x1eforged\x1fx" forged a violation).
TEST(GrpcStatusTest, SeparatorCharactersCannotForgeAViolation) {
  grpc::Status status = ToGrpcStatus(
      InvalidFieldError("etag",
                        "'1\x1e"
                        "forged\x1fx' is not an etag this service issued"));
  google::rpc::BadRequest bad_request;
  const google::rpc::Status rich = Details(status);
  for (const auto& detail : rich.details()) {
    if (detail.UnpackTo(&bad_request)) break;
  }
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "etag");
}

TEST(GrpcStatusTest, MessagesAndDetailsAreBounded) {
  std::vector<FieldViolation> violations;
  violations.reserve(100000);
  for (int i = 0; i < 100000; ++i) {
    violations.push_back({std::string(500, 'f'), std::string(5000, 'd')});
  }
  grpc::Status status = ToGrpcStatus(InvalidFieldsError(violations));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(status.error_message().size(), kMaxErrorMessageBytes);
  // The bound documented in status_details.h.
  EXPECT_LE(status.error_details().size(), 3300u);
  google::rpc::BadRequest bad_request;
  const google::rpc::Status rich = Details(status);
  for (const auto& detail : rich.details()) {
    if (detail.UnpackTo(&bad_request)) break;
  }
  EXPECT_EQ(bad_request.field_violations_size(),
            static_cast<int>(kMaxReportedViolations));
  EXPECT_LE(bad_request.field_violations(0).field().size(), kMaxFieldPathBytes);
  EXPECT_LE(bad_request.field_violations(0).description().size(),
            kMaxViolationDescriptionBytes);

  grpc::Status long_message =
      ToGrpcStatus(absl::NotFoundError(std::string(100000, 'x')));
  EXPECT_LE(long_message.error_message().size(), kMaxErrorMessageBytes);
}

TEST(GrpcStatusTest, CollectorCountsWhatItDoesNotList) {
  FieldViolationCollector collector;
  for (int i = 0; i < 1000; ++i) collector.Add("f", "bad");
  EXPECT_TRUE(collector.full());
  absl::Status status = collector.ToStatus();
  EXPECT_EQ(FieldViolationsOf(status).size(), kMaxReportedViolations);
  EXPECT_NE(status.message().find("1000 problems, the first 10 listed"),
            absl::string_view::npos)
      << status;
}

// A status merged into another collector keeps the count of what it left
// out (RecordImpactAnalysis merges the screening's violations).
TEST(GrpcStatusTest, MergingKeepsTheCountOfUnlistedViolations) {
  FieldViolationCollector inner;
  for (int i = 0; i < 200; ++i) inner.Add("scores", "bad");
  FieldViolationCollector outer;
  outer.Add("parent", "bad");
  outer.Merge(inner.ToStatus(), "scores");
  absl::Status status = outer.ToStatus();
  EXPECT_NE(status.message().find("201 problems, the first 10 listed"),
            absl::string_view::npos)
      << status;
}

TEST(EchoInputTest, QuotesCutsAndEscapes) {
  EXPECT_EQ(EchoInput("abc"), "'abc'");
  EXPECT_EQ(EchoInput("a'b\\c"), "'a\\x27b\\x5cc'");
  EXPECT_EQ(EchoInput(std::string("\0\x1b\xff", 3)), "'\\x00\\x1b\\xff'");
  EXPECT_EQ(EchoInput("\xc2\x85"), "'\\xc2\\x85'");  // U+0085, a C1 control
  EXPECT_EQ(EchoInput("\xc3\xa9"), "'\xc3\xa9'");    // é stays
  EXPECT_EQ(EchoInput("x\xc2\xad"
                      "y"),
            "'x\\u{00AD}y'");                           // soft hyphen
  EXPECT_EQ(EchoInput("\xe2\x80\xae"), "'\\u{202E}'");  // RTL override
  const std::string echoed = EchoInput(std::string(10000, 'z'));
  EXPECT_EQ(echoed, "'" + std::string(kMaxEchoedInputBytes, 'z') + "...'");
  // A character that would straddle the cut is left out whole.
  std::string straddling(kMaxEchoedInputBytes - 1, 'a');
  straddling += "\xc3\xa9";
  EXPECT_EQ(EchoInput(straddling),
            "'" + std::string(kMaxEchoedInputBytes - 1, 'a') + "...'");
}

TEST(TruncateUtf8Test, CutsOnACharacterBoundary) {
  EXPECT_EQ(TruncateUtf8("short", 10), "short");
  EXPECT_EQ(TruncateUtf8("\xc3\xa9\xc3\xa9\xc3\xa9", 5), "\xc3\xa9...");
  EXPECT_EQ(TruncateUtf8("abcdefgh", 6), "abc...");
}

}  // namespace
}  // namespace riskledger
