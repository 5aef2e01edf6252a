// Hostile requests through the real server, as an attacker would send them:
// each row asserts the status code, the one field named, that the error fits
// a client's default metadata limits, that nothing reached the log, and that
// the server answers the next normal request. Every row failed on the main
// branch before the hostile-input work (crash, hang, unbounded error, wrong
// code, or a write).
#include <sys/stat.h>

#include <climits>
#include <fstream>
#include <functional>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/blocking_unary_call.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/base/status_details.h"
#include "services/common/page_token.h"
#include "storage/event_codec.h"
#include "tests/integration/server_fixture.h"
#include "tests/integration/valid_requests.h"

namespace riskledger::integration {
namespace {

using ::testing::HasSubstr;
using Stub = v1::AssessmentService::Stub;
using Code = grpc::StatusCode;

const std::string kRisk = kAnalysedRisk;
const std::string kOverlongRisk =
    RiskName(kTenant, "R-2026-12345678901234567890");

// The serialized google.rpc.Status of any error stays below this (see
// services/base/status_details.h); with the message it fits 8 KiB.
constexpr size_t kMaxDetailsBytes = 3300;

class HostileInputTest;

struct HostileCase {
  std::string name;
  Code code;
  // The one field the error must name ("" for codes without BadRequest).
  std::string field;
  std::function<grpc::Status(HostileInputTest&)> send;
};

void PrintTo(const HostileCase& c, std::ostream* os) { *os << c.name; }

class HostileInputTest : public ServerTest,
                         public ::testing::WithParamInterface<HostileCase> {
 public:
  template <typename Request, typename Response>
  grpc::Status Send(StubMethod<Request, Response> method,
                    const Request& request) {
    return Call(method, request).status;
  }

  // Sends `bytes` as the serialized request of `method`, bypassing the
  // client library's encoder.
  grpc::Status SendRaw(const std::string& method, const std::string& bytes) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    std::string response;
    return cli::BlockingUnaryCall(channel(), context, FullMethod(method), bytes,
                                  response);
  }

  // Asserts the shape every rejection must have.
  void ExpectBoundedRejection(const grpc::Status& status, Code code,
                              const std::string& field) {
    EXPECT_EQ(status.error_code(), code) << DescribeStatus(status);
    if (field.empty()) {
      EXPECT_THAT(ViolatedFields(status), ::testing::IsEmpty());
    } else {
      EXPECT_THAT(ViolatedFields(status), ::testing::Each(field))
          << DescribeStatus(status);
      EXPECT_THAT(ViolatedFields(status), ::testing::Not(::testing::IsEmpty()));
    }
    EXPECT_FALSE(status.error_message().empty());
    EXPECT_LE(status.error_message().size(), kMaxErrorMessageBytes);
    EXPECT_LE(status.error_details().size(), kMaxDetailsBytes);
    EXPECT_EQ(RichStatus(status).code(), static_cast<int>(code));
  }

  // The server still serves: a normal read answers.
  void ExpectServerAnswers() {
    v1::GetRiskRequest request;
    request.set_name(kRisk);
    RpcResult<v1::Risk> risk = Call(&Stub::GetRisk, request);
    EXPECT_TRUE(risk.ok()) << DescribeStatus(risk.status);
  }

 protected:
  HostileInputTest() { set_sync_writes(false); }

  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    v1::CreateAssetRequest payroll;
    payroll.set_parent(kTenant);
    payroll.set_asset_id("payroll");
    *payroll.mutable_asset() = ValidAsset();
    payroll.set_request_id("setup-asset");
    Must(&Stub::CreateAsset, payroll);
    CreateAsset(kOtherTenant, "crm");
    CreateAsset(kOtherTenant, "erp");
    RecordImpactAnalysis(kPayroll, CategoryScores(3));
    ASSERT_EQ(CreateRisk(kTenant, ValidRisk(kPayroll)).name(), kRisk);
    AnalyseRisk(kRisk, 3, 4);
    ASSERT_FALSE(HasFailure()) << "setup failed";
  }
};

template <typename Request, typename Response>
HostileCase Row(std::string name, Code code, std::string field,
                StubMethod<Request, Response> method, Request request) {
  return HostileCase{std::move(name), code, std::move(field),
                     [method, request](HostileInputTest& test) {
                       return test.Send(method, request);
                     }};
}

v1::GetImpactAnalysisRequest ImpactAnalysisNamed(const std::string& number) {
  v1::GetImpactAnalysisRequest request;
  request.set_name(absl::StrCat(kPayroll, "/impactAnalyses/", number));
  return request;
}

// A page token in the format used before tokens carried a MAC: the first
// 8 bytes of SHA-256(query), then a resume key the client chose.
std::string UnkeyedToken(const std::string& query, const std::string& resume) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(storage::Sha256(query).substr(0, 8), resume));
}

// --- The rows ----------------------------------------------------------------

std::vector<HostileCase> NameRows() {
  const auto analyse = &Stub::AnalyseRisk;
  return {
      // Once: UNKNOWN, then SIGABRT or a hang of every command on the stripe.
      Row("AnalyseRiskOverlongRiskId", Code::INVALID_ARGUMENT, "name", analyse,
          With(ValidAnalyseRisk(), [](auto& r) { r.set_name(kOverlongRisk); })),
      Row("AdjustRiskLevelOverlongRiskId", Code::INVALID_ARGUMENT, "name",
          &Stub::AdjustRiskLevel,
          With(ValidAdjustRiskLevel(),
               [](auto& r) { r.set_name(kOverlongRisk); })),
      Row("UpdateRiskOverlongRiskId", Code::INVALID_ARGUMENT, "risk.name",
          &Stub::UpdateRisk,
          With(ValidUpdateRisk(),
               [](auto& r) { r.mutable_risk()->set_name(kOverlongRisk); })),
      Row("GetRiskOverlongRiskId", Code::INVALID_ARGUMENT, "name",
          &Stub::GetRisk,
          With(v1::GetRiskRequest(),
               [](auto& r) { r.set_name(kOverlongRisk); })),
      Row("HistoryOverlongRiskId", Code::INVALID_ARGUMENT, "parent",
          &Stub::ListScoreHistory,
          With(ValidListScoreHistory(),
               [](auto& r) { r.set_parent(kOverlongRisk); })),
      Row("GetAssetTenThousandCharacterName", Code::INVALID_ARGUMENT, "name",
          &Stub::GetAsset,
          With(v1::GetAssetRequest(),
               [](auto& r) { r.set_name(kPayroll + Repeat("x", 10000)); })),
      Row("GetImpactAnalysisPlusSign", Code::INVALID_ARGUMENT, "name",
          &Stub::GetImpactAnalysis, ImpactAnalysisNamed("+1")),
      Row("GetImpactAnalysisLeadingSpace", Code::INVALID_ARGUMENT, "name",
          &Stub::GetImpactAnalysis, ImpactAnalysisNamed(" 1")),
      Row("GetImpactAnalysisTrailingSpace", Code::INVALID_ARGUMENT, "name",
          &Stub::GetImpactAnalysis, ImpactAnalysisNamed("1 ")),
      // Refused by length before it is split into three million segments.
      Row("GetImpactAnalysisThreeMegabytesOfSlashes", Code::INVALID_ARGUMENT,
          "name", &Stub::GetImpactAnalysis,
          With(v1::GetImpactAnalysisRequest(),
               [](auto& r) { r.set_name(std::string(3 << 20, '/')); })),
      Row("GetImpactAnalysisNineteenDigits", Code::INVALID_ARGUMENT, "name",
          &Stub::GetImpactAnalysis, ImpactAnalysisNamed(Repeat("9", 19))),
      Row("GetAssetNameWithNul", Code::INVALID_ARGUMENT, "name",
          &Stub::GetAsset,
          With(v1::GetAssetRequest(),
               [](auto& r) { r.set_name(kPayroll + std::string(1, '\0')); })),
  };
}

std::vector<HostileCase> StringRows() {
  const auto create_asset = &Stub::CreateAsset;
  return {
      Row("AssetOwnerOnlyNuls", Code::INVALID_ARGUMENT, "asset.owner",
          create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_owner(std::string(3, '\0'));
               })),
      Row("AssetDisplayNameTerminalEscape", Code::INVALID_ARGUMENT,
          "asset.display_name", create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_display_name("\x1b[31mred");
               })),
      Row("AssetDisplayNameC1Control", Code::INVALID_ARGUMENT,
          "asset.display_name", create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_display_name("next\xc2\x85line");
               })),
      Row("AssetOwnerWithLineBreak", Code::INVALID_ARGUMENT, "asset.owner",
          create_asset,
          With(ValidCreateAsset(),
               [](auto& r) { r.mutable_asset()->set_owner("alice\nbob"); })),
      Row("AssetDescriptionWithNul", Code::INVALID_ARGUMENT,
          "asset.description", create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_description(std::string("a\0b", 3));
               })),
      // Invisible and bidi characters: what a reviewer reads would not be
      // what is stored.
      Row("AssetDisplayNameRightToLeftOverride", Code::INVALID_ARGUMENT,
          "asset.display_name", create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_display_name(
                     "invoice\xe2\x80\xae"
                     "exe.pdf");
               })),
      Row("AssetOwnerOnlyZeroWidthSpaces", Code::INVALID_ARGUMENT,
          "asset.owner", create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_owner("\xe2\x80\x8b\xe2\x80\x8b");
               })),
      // Default-ignorable characters the first list missed (second hostile
      // pass): soft hyphen, Hangul filler, a tag character.
      Row("AssetOwnerOnlySoftHyphen", Code::INVALID_ARGUMENT, "asset.owner",
          create_asset,
          With(ValidCreateAsset(),
               [](auto& r) { r.mutable_asset()->set_owner("\xc2\xad"); })),
      Row("AssetOwnerOnlyHangulFiller", Code::INVALID_ARGUMENT, "asset.owner",
          create_asset,
          With(ValidCreateAsset(),
               [](auto& r) { r.mutable_asset()->set_owner("\xe3\x85\xa4"); })),
      Row("AssetOwnerWithTagCharacter", Code::INVALID_ARGUMENT, "asset.owner",
          create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_owner("bob\xf3\xa0\x80\xa1");
               })),
      // A joiner at either end changes only the stored value ("alice" and
      // "alice<ZWJ>" look alike): refused.
      Row("AssetOwnerEndsWithJoiner", Code::INVALID_ARGUMENT, "asset.owner",
          create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_owner("alice\xe2\x80\x8d");
               })),
      Row("AssetOwnerStartsWithNonJoiner", Code::INVALID_ARGUMENT,
          "asset.owner", create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_owner(
                     "\xe2\x80\x8c"
                     "bob");
               })),
      Row("AssetOwnerOnlyIdeographicSpace", Code::INVALID_ARGUMENT,
          "asset.owner", create_asset,
          With(ValidCreateAsset(),
               [](auto& r) { r.mutable_asset()->set_owner("\xe3\x80\x80"); })),
      Row("AssetOwnerWithLineSeparator", Code::INVALID_ARGUMENT, "asset.owner",
          create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_owner(
                     "alice\xe2\x80\xa8"
                     "bob");
               })),
      Row("AssetDescriptionWithBidiIsolate", Code::INVALID_ARGUMENT,
          "asset.description", create_asset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 r.mutable_asset()->set_description("ok \xe2\x81\xa6hidden");
               })),
      Row("RiskOwnerOnlyControls", Code::INVALID_ARGUMENT, "risk.owner",
          &Stub::CreateRisk,
          With(ValidCreateRisk(),
               [](auto& r) { r.mutable_risk()->set_owner("\x01\x02\x7f"); })),
      Row("RiskVulnerabilityOneMegabyte", Code::INVALID_ARGUMENT,
          "risk.vulnerability", &Stub::CreateRisk,
          With(ValidCreateRisk(),
               [](auto& r) {
                 r.mutable_risk()->set_vulnerability(
                     Repeat("\xc3\xa9", 500000));
               })),
  };
}

std::vector<HostileCase> NumberAndEnumRows() {
  return {
      Row("AnalyseImpactInt32Min", Code::INVALID_ARGUMENT, "impact",
          &Stub::AnalyseRisk,
          With(ValidAnalyseRisk(), [](auto& r) { r.set_impact(INT_MIN); })),
      Row("AdjustLevelInt32Max", Code::INVALID_ARGUMENT, "adjusted_level",
          &Stub::AdjustRiskLevel,
          With(ValidAdjustRiskLevel(),
               [](auto& r) { r.set_adjusted_level(INT_MAX); })),
      Row("RiskMatrixFilterOneMegabyte", Code::INVALID_ARGUMENT, "filter",
          &Stub::GetRiskMatrix,
          With(v1::GetRiskMatrixRequest(),
               [](auto& r) {
                 r.set_parent(kTenant);
                 r.set_filter(absl::StrCat("owner = \"",
                                           std::string(1000000, 'a'), "\""));
               })),
      Row("RiskMatrixPositionInt64Min", Code::INVALID_ARGUMENT,
          "as_of.log_position", &Stub::GetRiskMatrix,
          With(v1::GetRiskMatrixRequest(),
               [](auto& r) {
                 r.set_parent(kTenant);
                 r.mutable_as_of()->set_log_position(INT64_MIN);
               })),
      Row("ListRisksPageSizeInt32Min", Code::INVALID_ARGUMENT, "page_size",
          &Stub::ListRisks,
          With(ValidListRisks(), [](auto& r) { r.set_page_size(INT_MIN); })),
      Row("RiskSourceNegativeEnum", Code::INVALID_ARGUMENT, "risk.source",
          &Stub::CreateRisk,
          With(ValidCreateRisk(),
               [](auto& r) {
                 r.mutable_risk()->set_source(static_cast<v1::RiskSource>(-1));
               })),
      Row("AnalyseUnknownInformationSource", Code::INVALID_ARGUMENT,
          "information_sources[1]", &Stub::AnalyseRisk,
          With(ValidAnalyseRisk(),
               [](auto& r) {
                 r.add_information_sources(
                     static_cast<v1::InformationSource>(INT_MAX));
               })),
  };
}

std::vector<HostileCase> MaskRows() {
  const auto update_asset = &Stub::UpdateAsset;
  auto masked = [](const std::vector<std::string>& paths) {
    return With(ValidUpdateAsset(), [paths](auto& r) {
      r.mutable_update_mask()->clear_paths();
      for (const std::string& path : paths)
        r.mutable_update_mask()->add_paths(path);
    });
  };
  return {
      // Both were once accepted and their raw paths stored in the log.
      Row("MaskTrailingDot", Code::INVALID_ARGUMENT, "update_mask",
          update_asset, masked({"owner."})),
      Row("MaskDoubleDot", Code::INVALID_ARGUMENT, "update_mask", update_asset,
          masked({"value_assessment..rationale"})),
      Row("MaskIntoRepeatedField", Code::INVALID_ARGUMENT, "update_mask",
          update_asset, masked({"components.name"})),
      Row("MaskDuplicatePath", Code::INVALID_ARGUMENT, "update_mask",
          update_asset, masked({"owner", "owner"})),
      Row("MaskTenThousandCharacterPath", Code::INVALID_ARGUMENT, "update_mask",
          update_asset, masked({Repeat("o", 10000)})),
      Row("MaskTenThousandPaths", Code::INVALID_ARGUMENT, "update_mask",
          update_asset, masked(std::vector<std::string>(10000, "owner"))),
  };
}

std::vector<HostileCase> TokenAndFilterRows() {
  const std::string history_query = absl::StrCat("scoreHistory|", kRisk);
  return {
      // A token in the old, unkeyed format (see also
      // PageTokenKeyTest.SignedTokensWithOutOfRangeVersionsAreRefused).
      Row("HistoryForgedInt64MaxToken", Code::INVALID_ARGUMENT, "page_token",
          &Stub::ListScoreHistory,
          With(ValidListScoreHistory(),
               [=](auto& r) {
                 r.set_page_token(
                     UnkeyedToken(history_query, "9223372036854775807"));
               })),
      Row("ListRisksForgedResumeKey", Code::INVALID_ARGUMENT, "page_token",
          &Stub::ListRisks,
          With(ValidListRisks(),
               [](auto& r) {
                 r.set_page_token(UnkeyedToken(
                     absl::StrCat("risks|", kTenant, "||priority"), "prio|"));
               })),
      Row("ListAssetsHugeToken", Code::INVALID_ARGUMENT, "page_token",
          &Stub::ListAssets,
          With(v1::ListAssetsRequest(),
               [](auto& r) {
                 r.set_parent(kTenant);
                 r.set_page_token(Repeat("A", 100000));
               })),
      Row("FilterAssetNotAName", Code::INVALID_ARGUMENT, "filter",
          &Stub::ListRisks,
          With(ValidListRisks(),
               [](auto& r) { r.set_filter("asset = \"garbage\""); })),
      Row("FilterControlCharacter", Code::INVALID_ARGUMENT, "filter",
          &Stub::ListRisks,
          With(ValidListRisks(),
               [](auto& r) { r.set_filter("owner = \"al\x01ice\""); })),
      Row("FilterHundredKilobytes", Code::INVALID_ARGUMENT, "filter",
          &Stub::ListRisks,
          With(ValidListRisks(),
               [](auto& r) {
                 r.set_filter("owner = \"" + Repeat("a", 100000) + "\"");
               })),
      Row("FilterLongUnknownField", Code::INVALID_ARGUMENT, "filter",
          &Stub::ListRisks,
          With(ValidListRisks(),
               [](auto& r) { r.set_filter(Repeat("f", 1000) + " = \"x\""); })),
      Row("FilterBandValueEchoed", Code::INVALID_ARGUMENT, "filter",
          &Stub::ListRisks,
          With(ValidListRisks(),
               [](auto& r) {
                 r.set_filter("band = \"" + Repeat("\xe2\x82\xac", 300) + "\"");
               })),
  };
}

std::vector<HostileCase> SizeRows() {
  return {
      Row("DuplicateExistingControl", Code::INVALID_ARGUMENT,
          "risk.existing_controls[1]", &Stub::CreateRisk,
          With(ValidCreateRisk(),
               [](auto& r) {
                 r.mutable_risk()->clear_existing_controls();
                 r.mutable_risk()->add_existing_controls("MFA");
                 r.mutable_risk()->add_existing_controls("MFA");
               })),
      Row("DuplicateInformationSource", Code::INVALID_ARGUMENT,
          "information_sources[1]", &Stub::AnalyseRisk,
          With(ValidAnalyseRisk(),
               [](auto& r) {
                 r.clear_information_sources();
                 r.add_information_sources(
                     v1::INFORMATION_SOURCE_EXPERT_ASSESSMENT);
                 r.add_information_sources(
                     v1::INFORMATION_SOURCE_EXPERT_ASSESSMENT);
               })),
      // Once: a 4.8 MB message and 9.8 MB of trailers.
      Row("HundredThousandAffectedProperties", Code::INVALID_ARGUMENT,
          "risk.affected_properties", &Stub::CreateRisk,
          With(ValidCreateRisk(),
               [](auto& r) {
                 for (int i = 0; i < 100000; ++i) {
                   r.mutable_risk()->add_affected_properties(
                       static_cast<v1::SecurityProperty>(1000 + i));
                 }
               })),
      Row("HundredThousandComponents", Code::INVALID_ARGUMENT,
          "asset.components", &Stub::CreateAsset,
          With(ValidCreateAsset(),
               [](auto& r) {
                 for (int i = 0; i < 100000; ++i)
                   r.mutable_asset()->add_components();
               })),
      Row("HundredThousandImpactScores", Code::INVALID_ARGUMENT, "scores",
          &Stub::RecordImpactAnalysis,
          With(v1::RecordImpactAnalysisRequest(),
               [](auto& r) {
                 r.set_parent(kPayroll);
                 for (int i = 0; i < 100000; ++i) r.add_scores()->set_score(-i);
               })),
  };
}

std::vector<HostileCase> IdempotencyAndEtagRows() {
  const auto analyse = &Stub::AnalyseRisk;
  return {
      Row("RequestIdTenThousandCharacters", Code::INVALID_ARGUMENT,
          "request_id", analyse,
          With(ValidAnalyseRisk(),
               [](auto& r) { r.set_request_id(Repeat("r", 10000)); })),
      // The id of the request that created kPayroll, on another request.
      Row("RequestIdReusedForAnotherRequest", Code::INVALID_ARGUMENT,
          "request_id", &Stub::CreateAsset,
          With(ValidCreateAsset(),
               [](auto& r) { r.set_request_id("setup-asset"); })),
      Row("RequestIdControlCharacter", Code::INVALID_ARGUMENT, "request_id",
          analyse,
          With(ValidAnalyseRisk(),
               [](auto& r) { r.set_request_id("retry\x01"); })),
      // Once: called stale (ABORTED) instead of malformed.
      Row("EtagLeadingSpace", Code::INVALID_ARGUMENT, "etag", analyse,
          With(ValidAnalyseRisk(), [](auto& r) { r.set_etag(" 2"); })),
      Row("EtagPlusSign", Code::INVALID_ARGUMENT, "etag", analyse,
          With(ValidAnalyseRisk(), [](auto& r) { r.set_etag("+2"); })),
      Row("EtagLeadingZero", Code::INVALID_ARGUMENT, "etag", analyse,
          With(ValidAnalyseRisk(), [](auto& r) { r.set_etag("02"); })),
      Row("EtagTwentyDigits", Code::INVALID_ARGUMENT, "asset.etag",
          &Stub::UpdateAsset,
          With(ValidUpdateAsset(),
               [](auto& r) { r.mutable_asset()->set_etag(Repeat("9", 20)); })),
      // Once: the separators of the old detail encoding forged a violation
      // of a field named "forged".
      Row("EtagForgingADetail", Code::INVALID_ARGUMENT, "etag", analyse,
          With(ValidAnalyseRisk(),
               [](auto& r) {
                 r.set_etag(
                     "1\x1e"
                     "forged\x1fx");
               })),
  };
}

std::vector<HostileCase> AllRows() {
  std::vector<HostileCase> all;
  for (auto* make : {NameRows, StringRows, NumberAndEnumRows, MaskRows,
                     TokenAndFilterRows, SizeRows, IdempotencyAndEtagRows}) {
    std::vector<HostileCase> rows = make();
    all.insert(all.end(), rows.begin(), rows.end());
  }
  return all;
}

TEST_P(HostileInputTest, IsRejectedBoundedAndWritesNothing) {
  const HostileCase& c = GetParam();
  const storage::ChainHead before = LogHead();
  // Twice: the second call once hung or aborted the server.
  for (int attempt = 0; attempt < 2; ++attempt) {
    ExpectBoundedRejection(c.send(*this), c.code, c.field);
  }
  const storage::ChainHead after = LogHead();
  EXPECT_EQ(after.position, before.position) << "the request wrote to the log";
  EXPECT_EQ(after.hash, before.hash);
  ExpectServerAnswers();
}

INSTANTIATE_TEST_SUITE_P(All, HostileInputTest, ::testing::ValuesIn(AllRows()),
                         [](const ::testing::TestParamInfo<HostileCase>& info) {
                           return info.param.name;
                         });

// Rows of many violations list at most kMaxReportedViolations and count the
// rest in the message.
class HostileErrorBoundsTest : public HostileInputTest {};

TEST_F(HostileErrorBoundsTest, ManyViolationsAreListedUpToTheBound) {
  v1::CreateRiskRequest request = ValidCreateRisk();
  request.mutable_risk()->clear_existing_controls();
  for (int i = 0; i < 100; ++i) {
    request.mutable_risk()->add_existing_controls(
        absl::StrCat(i, Repeat("c", 300)));
  }
  const storage::ChainHead before = LogHead();
  grpc::Status status = Send(&Stub::CreateRisk, request);
  EXPECT_EQ(status.error_code(), Code::INVALID_ARGUMENT);
  std::vector<std::string> fields = ViolatedFields(status);
  ASSERT_EQ(fields.size(), kMaxReportedViolations) << DescribeStatus(status);
  EXPECT_EQ(fields[0], "risk.existing_controls[0]");
  EXPECT_EQ(fields.back(), "risk.existing_controls[9]");
  EXPECT_THAT(status.error_message(),
              HasSubstr("100 problems, the first 10 listed"));
  EXPECT_LE(status.error_message().size(), kMaxErrorMessageBytes);
  EXPECT_LE(status.error_details().size(), kMaxDetailsBytes);
  EXPECT_EQ(LogHead().position, before.position);
}

TEST_F(HostileErrorBoundsTest, EchoedInputIsCutAndEscaped) {
  v1::GetAssetRequest request;
  request.set_name("tenants/acme/assets/\x1b[2J" + Repeat("z", 5000));
  grpc::Status status = Send(&Stub::GetAsset, request);
  ExpectBoundedRejection(status, Code::INVALID_ARGUMENT, "name");
  EXPECT_THAT(status.error_message(), HasSubstr("\\x1b[2J"));
  EXPECT_THAT(status.error_message(), ::testing::Not(HasSubstr("\x1b")));
  EXPECT_THAT(status.error_message(), HasSubstr("..."));
}

// --- Unknown fields and undecodable requests ---------------------------------

// `message` serialized with an extra length-delimited field (number 9999,
// unknown to every riskledger message) of `size` bytes appended.
template <typename Message>
Message WithUnknownField(const Message& message, size_t size) {
  std::string bytes = message.SerializeAsString();
  // Tag of field 9999, wire type 2: varint((9999 << 3) | 2).
  bytes += "\xfa\xb8\x04";
  std::string length;
  for (size_t n = size;; n >>= 7) {
    length.push_back(static_cast<char>((n & 0x7f) | (n > 0x7f ? 0x80 : 0)));
    if (n <= 0x7f) break;
  }
  bytes += length + std::string(size, 'u');
  Message parsed;
  EXPECT_TRUE(parsed.ParseFromString(bytes));
  return parsed;
}

class UnknownFieldsTest : public HostileInputTest {};

// Once: a 1 MB unknown field was chained into the log, stored in the read
// model and served back by GetRisk, bypassing every size limit.
TEST_F(UnknownFieldsTest, AreDiscardedBeforeTheLogAndReadModels) {
  v1::CreateRiskRequest request = ValidCreateRisk();
  *request.mutable_risk() = WithUnknownField(request.risk(), 1 << 20);
  request = WithUnknownField(request, 1 << 10);
  ASSERT_GT(request.ByteSizeLong(), 1u << 20);
  RpcResult<v1::Risk> created = Call(&Stub::CreateRisk, request);
  ASSERT_TRUE(created.ok()) << DescribeStatus(created.status);
  EXPECT_LT(created.response.ByteSizeLong(), 4096u);

  v1::Risk stored = GetRisk(created.response.name());
  EXPECT_LT(stored.ByteSizeLong(), 4096u);
  EXPECT_TRUE(stored.GetReflection()->GetUnknownFields(stored).empty());

  absl::StatusOr<std::vector<storage::EventEnvelope>> events =
      event_store().ReadAll(1, 1000);
  ASSERT_TRUE(events.ok()) << events.status();
  for (const storage::EventEnvelope& event : *events) {
    EXPECT_LT(event.payload.size(), 8192u)
        << event.type << " at " << event.position;
  }
}

// A masked message field is copied whole into the read model, so an unknown
// field nested in it would be stored if it were not discarded on arrival.
TEST_F(UnknownFieldsTest, NestedUnknownFieldsOfAnUpdateAreDiscarded) {
  v1::UpdateAssetRequest request = ValidUpdateAsset();
  request.mutable_update_mask()->clear_paths();
  request.mutable_update_mask()->add_paths("value_assessment");
  v1::ValueAssessment value;
  value.set_confidentiality(v1::VALUE_LEVEL_HIGH);
  value.set_rationale("payroll data");
  *request.mutable_asset()->mutable_value_assessment() =
      WithUnknownField(value, 100000);
  RpcResult<v1::Asset> updated = Call(&Stub::UpdateAsset, request);
  ASSERT_TRUE(updated.ok()) << DescribeStatus(updated.status);
  EXPECT_EQ(updated.response.value_assessment().rationale(), "payroll data");
  EXPECT_LT(updated.response.ByteSizeLong(), 4096u);
  EXPECT_LT(GetAsset(kPayroll).ByteSizeLong(), 4096u);
}

class UndecodableRequestTest : public HostileInputTest {};

// Once: INTERNAL with an empty message (gRPC's answer when it cannot parse).
TEST_F(UndecodableRequestTest, InvalidUtf8IsInvalidArgumentNamingTheField) {
  // CreateAssetRequest{parent: kTenant, asset_id: "x", asset: {owner: "\xff"}}
  // written by hand: a conforming encoder refuses to produce it.
  v1::CreateAssetRequest valid = ValidCreateAsset();
  valid.mutable_asset()->set_owner("@");
  std::string bytes = valid.SerializeAsString();
  const size_t at = bytes.find('@');
  ASSERT_NE(at, std::string::npos);
  bytes[at] = '\xff';
  const storage::ChainHead before = LogHead();
  for (int attempt = 0; attempt < 2; ++attempt) {
    grpc::Status status = SendRaw("CreateAsset", bytes);
    ExpectBoundedRejection(status, Code::INVALID_ARGUMENT, "");
    EXPECT_THAT(status.error_message(), HasSubstr("riskledger.v1.Asset.owner"));
    EXPECT_THAT(status.error_message(), HasSubstr("UTF-8"));
  }
  EXPECT_EQ(LogHead().position, before.position);
  ExpectServerAnswers();
}

TEST_F(UndecodableRequestTest, MalformedProtobufIsInvalidArgument) {
  const storage::ChainHead before = LogHead();
  for (const std::string& bytes :
       {std::string("\xff\xff\xff\xff\xff"),
        std::string("\x0a\x7f"
                    "ab"),
        std::string("\x08\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01")}) {
    for (const char* method : {"CreateRisk", "GetRisk", "ListRisks"}) {
      grpc::Status status = SendRaw(method, bytes);
      ExpectBoundedRejection(status, Code::INVALID_ARGUMENT, "");
      EXPECT_THAT(status.error_message(), HasSubstr("could not be decoded"));
    }
  }
  EXPECT_EQ(LogHead().position, before.position);
  ExpectServerAnswers();
}

// Page tokens are keyed by a secret in the data directory: tokens survive a
// restart, and the key file is readable by its owner only.
class PageTokenKeyTest : public HostileInputTest {};

TEST_F(PageTokenKeyTest, TokensSurviveRestartAndTheKeyIsOwnerOnly) {
  CreateRisk(kTenant, ValidRisk(kPayroll));
  v1::ListRisksRequest request = ValidListRisks();
  request.set_page_size(1);
  RpcResult<v1::ListRisksResponse> first = Call(&Stub::ListRisks, request);
  ASSERT_TRUE(first.ok()) << DescribeStatus(first.status);
  ASSERT_FALSE(first.response.next_page_token().empty());

  Restart();
  request.set_page_token(first.response.next_page_token());
  RpcResult<v1::ListRisksResponse> second = Call(&Stub::ListRisks, request);
  ASSERT_TRUE(second.ok()) << DescribeStatus(second.status);
  ASSERT_EQ(second.response.risks_size(), 1);
  EXPECT_NE(second.response.risks(0).name(), first.response.risks(0).name());

  struct stat info {};
  ASSERT_EQ(stat((data_dir() + "/page_token.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, static_cast<off_t>(kPageTokenKeyBytes));
}

class TransportLimitsTest : public HostileInputTest {};

// gRPC refuses it before any server code runs (so without details).
TEST_F(TransportLimitsTest, OversizedRequestIsResourceExhausted) {
  v1::CreateAssetRequest request = ValidCreateAsset();
  request.mutable_asset()->set_description(Repeat("d", 5 * 1024 * 1024));
  const storage::ChainHead before = LogHead();
  grpc::Status status = Send(&Stub::CreateAsset, request);
  EXPECT_EQ(status.error_code(), Code::RESOURCE_EXHAUSTED)
      << DescribeStatus(status);
  EXPECT_THAT(status.error_message(), HasSubstr("larger than max"));
  EXPECT_EQ(LogHead().position, before.position);
  ExpectServerAnswers();
}

// Once: a 400 KB gzip request was inflated to 400 MB before its size was
// checked. Compressed requests are now refused before they are inflated.
TEST_F(TransportLimitsTest, CompressedRequestsAreRefused) {
  v1::GetRiskRequest request;
  request.set_name(kRisk);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  v1::Risk risk;
  grpc::Status status = stub().GetRisk(&context, request, &risk);
  EXPECT_EQ(status.error_code(), Code::UNIMPLEMENTED) << DescribeStatus(status);
  ExpectServerAnswers();
}

// A page stops before kMaxPageBytes, so that a client with gRPC's default
// 4 MiB message limit can read every page. Once a page of three 1.6 MB
// assets made a 4.8 MB response that such a client refused.
TEST_F(TransportLimitsTest, ListPagesFitADefaultClient) {
  v1::Asset big = ValidAsset();
  big.clear_components();
  for (int i = 0; i < 100; ++i) {
    v1::Component* component = big.add_components();
    component->set_name(absl::StrCat("component-", i));
    component->set_description(Repeat("\xf0\x9f\x94\x92", 4000));
  }
  for (const char* id : {"big-a", "big-b", "big-c"}) {
    CreateAsset(kTenant, id, big);
  }
  v1::ListAssetsRequest request;
  request.set_parent(kTenant);
  request.set_page_size(kMaxPageSize);
  int pages = 0;
  int assets = 0;
  do {
    RpcResult<v1::ListAssetsResponse> page = Call(&Stub::ListAssets, request);
    ASSERT_TRUE(page.ok()) << DescribeStatus(page.status);
    EXPECT_LE(page.response.ByteSizeLong(), 4u * 1024 * 1024);
    assets += page.response.assets_size();
    ++pages;
    request.set_page_token(page.response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(assets, 4);  // payroll and the three big ones
  EXPECT_GE(pages, 2);
}

// A token signed with the server's real key (read from the data directory,
// which a client never has) but carrying an out-of-range resume version: the
// history handler's own strict parse refuses it. Once INT64_MAX overflowed a
// signed integer there.
TEST_F(PageTokenKeyTest, SignedTokensWithOutOfRangeVersionsAreRefused) {
  std::ifstream key_file(data_dir() + "/page_token.key", std::ios::binary);
  const std::string key((std::istreambuf_iterator<char>(key_file)),
                        std::istreambuf_iterator<char>());
  ASSERT_EQ(key.size(), kPageTokenKeyBytes);
  const PageTokenCodec codec(key);
  const std::string query = absl::StrCat("scoreHistory|", kRisk);
  const storage::ChainHead before = LogHead();
  for (const std::string& resume :
       {std::string("9223372036854775807"), std::string(20, '9'),
        std::string("0"), std::string("+1"), std::string("-1")}) {
    v1::ListScoreHistoryRequest request = ValidListScoreHistory();
    absl::StatusOr<std::string> token = codec.Encode(query, resume);
    ASSERT_TRUE(token.ok());
    request.set_page_token(*token);
    ExpectBoundedRejection(Send(&Stub::ListScoreHistory, request),
                           Code::INVALID_ARGUMENT, "page_token");
  }
  // The same key and a sane version: accepted, so the refusals above are
  // the version's doing, not the MAC's.
  v1::ListScoreHistoryRequest request = ValidListScoreHistory();
  request.set_page_token(*codec.Encode(query, "1"));
  EXPECT_TRUE(Send(&Stub::ListScoreHistory, request).ok());
  EXPECT_EQ(LogHead().position, before.position);
}

// Joiners between visible characters are text (emoji sequences, scripts
// that need ZWNJ), so they are accepted.
TEST_F(HostileErrorBoundsTest, JoinersBetweenVisibleCharactersAreAccepted) {
  v1::CreateAssetRequest request = ValidCreateAsset();
  // Woman technologist: U+1F469 ZWJ U+1F4BB; and a ZWNJ inside a word.
  request.mutable_asset()->set_display_name(
      "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb team");
  request.mutable_asset()->set_owner(
      "mi\xe2\x80\x8c"
      "dad");
  RpcResult<v1::Asset> created = Call(&Stub::CreateAsset, request);
  EXPECT_TRUE(created.ok()) << DescribeStatus(created.status);
}

// A malformed etag is reported with the request's other bad fields, before
// anything is read: on a risk that does not exist it is INVALID_ARGUMENT,
// not NOT_FOUND.
TEST_F(HostileErrorBoundsTest, MalformedEtagsAreReportedBeforeAnythingIsRead) {
  v1::AnalyseRiskRequest missing = ValidAnalyseRisk();
  missing.set_name(RiskName(kTenant, "R-2026-0999"));
  missing.set_etag("+1");
  grpc::Status status = Send(&Stub::AnalyseRisk, missing);
  EXPECT_EQ(status.error_code(), Code::INVALID_ARGUMENT)
      << DescribeStatus(status);
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("etag"));

  v1::AnalyseRiskRequest two = ValidAnalyseRisk();
  two.set_etag(" 2");
  two.set_impact(9);
  status = Send(&Stub::AnalyseRisk, two);
  EXPECT_THAT(ViolatedFields(status),
              ::testing::UnorderedElementsAre("impact", "etag"))
      << DescribeStatus(status);
}

}  // namespace
}  // namespace riskledger::integration
