// Point-in-time reads (M14): GetRisk, GetAsset, ListRisks, ListAssets and
// the risk matrix (M13) with `as_of` (a log position or a time) return exactly what the same read
// returned at that moment, captured live after every step of a lifecycle
// that interleaves two tenants; bad points are refused by field.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/common/proto_time.h"
#include "tests/integration/server_fixture.h"

namespace riskledger::integration {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Stub = v1::AssessmentService::Stub;

// What the reads returned at one moment, and where the log was.
struct Moment {
  int64_t position = 0;
  // After the moment's last entry and before the next one's.
  absl::Time time;
  std::optional<v1::Risk> risk;
  std::optional<v1::Asset> asset;
  std::vector<v1::Risk> register_by_priority;
  std::vector<v1::Risk> register_by_id;
  std::vector<v1::Asset> assets;
  v1::RiskMatrix matrix;
};

template <typename Message>
std::string Describe(const std::vector<Message>& messages) {
  std::string out;
  for (const Message& message : messages) {
    absl::StrAppend(&out, message.ShortDebugString(), "\n");
  }
  return out;
}

class PointInTimeTest : public ServerTest {
 protected:
  PointInTimeTest() { set_sync_writes(false); }

  Moment Capture(const std::string& risk, const std::string& asset) {
    Moment moment;
    moment.position = LogHead().position;
    // The clock steps a second per reading: the next entry is recorded at
    // Peek() or later, the last one a second before it at the latest.
    moment.time = clock().Peek() - absl::Milliseconds(1);
    v1::GetRiskRequest get_risk;
    get_risk.set_name(risk);
    RpcResult<v1::Risk> found = Call(&Stub::GetRisk, get_risk);
    if (found.ok()) moment.risk = found.response;
    v1::GetAssetRequest get_asset;
    get_asset.set_name(asset);
    RpcResult<v1::Asset> asset_found = Call(&Stub::GetAsset, get_asset);
    if (asset_found.ok()) moment.asset = asset_found.response;
    moment.register_by_priority = ListAllRisks(kTenant);
    moment.register_by_id = ListAllRisks(kTenant, "", "risk_id");
    moment.assets = ListAllAssets(kTenant);
    v1::GetRiskMatrixRequest matrix;
    matrix.set_parent(kTenant);
    moment.matrix = Must(&Stub::GetRiskMatrix, matrix);
    return moment;
  }

  void AdjustLevel(const std::string& risk, int level) {
    v1::AdjustRiskLevelRequest adjust;
    adjust.set_name(risk);
    adjust.set_adjusted_level(level);
    adjust.set_rationale("compensating controls outside the scores");
    Must(&Stub::AdjustRiskLevel, adjust);
  }

  void SetOwner(const std::string& risk, const std::string& owner) {
    v1::UpdateRiskRequest update;
    update.mutable_risk()->set_name(risk);
    update.mutable_risk()->set_owner(owner);
    update.mutable_update_mask()->add_paths("owner");
    Must(&Stub::UpdateRisk, update);
  }

  // Checks every read as of `as_of` against `moment`.
  void ExpectReadsAsOf(const v1::AsOf& as_of, const Moment& moment,
                       const std::string& risk, const std::string& asset) {
    using google::protobuf::util::MessageDifferencer;
    v1::GetRiskRequest get_risk;
    get_risk.set_name(risk);
    *get_risk.mutable_as_of() = as_of;
    RpcResult<v1::Risk> past_risk = Call(&Stub::GetRisk, get_risk);
    if (moment.risk.has_value()) {
      ASSERT_TRUE(past_risk.ok()) << DescribeStatus(past_risk.status);
      EXPECT_TRUE(MessageDifferencer::Equals(past_risk.response, *moment.risk))
          << past_risk.response.ShortDebugString() << "\nvs\n"
          << moment.risk->ShortDebugString();
    } else {
      EXPECT_EQ(past_risk.status.error_code(), grpc::StatusCode::NOT_FOUND)
          << DescribeStatus(past_risk.status);
    }
    v1::GetAssetRequest get_asset;
    get_asset.set_name(asset);
    *get_asset.mutable_as_of() = as_of;
    RpcResult<v1::Asset> past_asset = Call(&Stub::GetAsset, get_asset);
    if (moment.asset.has_value()) {
      ASSERT_TRUE(past_asset.ok()) << DescribeStatus(past_asset.status);
      EXPECT_TRUE(
          MessageDifferencer::Equals(past_asset.response, *moment.asset));
    } else {
      EXPECT_EQ(past_asset.status.error_code(), grpc::StatusCode::NOT_FOUND);
    }
    EXPECT_EQ(Describe(ListAllRisks(kTenant, "", "", 0, &as_of)),
              Describe(moment.register_by_priority));
    EXPECT_EQ(Describe(ListAllRisks(kTenant, "", "risk_id", 1, &as_of)),
              Describe(moment.register_by_id));
    EXPECT_EQ(Describe(ListAllAssets(kTenant, 1, &as_of)),
              Describe(moment.assets));
    v1::GetRiskMatrixRequest matrix;
    matrix.set_parent(kTenant);
    *matrix.mutable_as_of() = as_of;
    EXPECT_EQ(Must(&Stub::GetRiskMatrix, matrix).ShortDebugString(),
              moment.matrix.ShortDebugString());
  }
};

TEST_F(PointInTimeTest, ReadsAsOfAPositionOrATimeEqualWhatWasReadThen) {
  const std::string asset = AssetName(kTenant, "payroll");
  const std::string risk = RiskName(kTenant, "R-2026-0001");
  std::vector<Moment> moments;
  moments.push_back(Capture(risk, asset));  // before anything
  CreateAsset(kTenant, "payroll");
  moments.push_back(Capture(risk, asset));
  CreateAsset(kOtherTenant, "payroll");  // another tenant moves the log
  RecordImpactAnalysis(asset, CategoryScores(4));
  moments.push_back(Capture(risk, asset));
  ASSERT_EQ(CreateRisk(kTenant, ValidRisk(asset)).name(), risk);
  moments.push_back(Capture(risk, asset));
  AnalyseRisk(risk, 2, 3);
  CreateRisk(kTenant, ValidRisk(asset));  // a second risk, unanalysed
  moments.push_back(Capture(risk, asset));
  AnalyseRisk(risk, 5, 4);  // changes the priority order and the band
  AnalyseRisk(RiskName(kTenant, "R-2026-0002"), 5, 5);
  moments.push_back(Capture(risk, asset));
  SetOwner(risk, "bob");
  RecordImpactAnalysis(asset, CategoryScores(2), "after controls");
  moments.push_back(Capture(risk, asset));
  AdjustLevel(risk, 12);  // band critical -> medium
  moments.push_back(Capture(risk, asset));

  for (const Moment& moment : moments) {
    SCOPED_TRACE(absl::StrCat("position ", moment.position));
    if (moment.position > 0) {
      v1::AsOf at_position;
      at_position.set_log_position(moment.position);
      ASSERT_NO_FATAL_FAILURE(
          ExpectReadsAsOf(at_position, moment, risk, asset));
    }
    v1::AsOf at_time;
    *at_time.mutable_time() = ToProtoTimestamp(moment.time);
    ASSERT_NO_FATAL_FAILURE(ExpectReadsAsOf(at_time, moment, risk, asset));
  }
  // The present, as of a time after everything.
  v1::AsOf later;
  *later.mutable_time() = ToProtoTimestamp(clock().Peek() + absl::Hours(1));
  ExpectReadsAsOf(later, moments.back(), risk, asset);
}

// M13: every risk of the tenant (as the filter selects) in its impact ×
// likelihood cell, banded by its effective level.
TEST_F(PointInTimeTest, TheRiskMatrixPlacesEveryRiskInItsCellAndBand) {
  const std::string asset = CreateAsset(kTenant, "payroll").name();
  CreateAsset(kOtherTenant, "payroll");
  RecordImpactAnalysis(asset, CategoryScores(4));
  const std::string first = CreateRisk(kTenant, ValidRisk(asset)).name();
  const std::string second = CreateRisk(kTenant, ValidRisk(asset)).name();
  CreateRisk(kTenant, ValidRisk(asset));  // never analysed
  AnalyseRisk(first, 5, 4);
  AnalyseRisk(second, 5, 4);
  AdjustLevel(second, 12);
  SetOwner(first, "bob");

  v1::GetRiskMatrixRequest request;
  request.set_parent(kTenant);
  const v1::RiskMatrix matrix = Must(&Stub::GetRiskMatrix, request);
  EXPECT_EQ(matrix.methodology(), "tenants/acme/methodologies/default");
  ASSERT_EQ(matrix.cells_size(), 25);
  for (const v1::RiskMatrixCell& cell : matrix.cells()) {
    SCOPED_TRACE(cell.ShortDebugString());
    EXPECT_EQ(cell.level(), cell.impact() * cell.likelihood());
    const bool occupied = cell.impact() == 5 && cell.likelihood() == 4;
    EXPECT_EQ(cell.risk_count(), occupied ? 2 : 0);
    EXPECT_EQ(cell.adjusted_count(), occupied ? 1 : 0);
  }
  // Impact-major: impact 5, likelihood 4 is cell (5 - 1) × 5 + (4 - 1).
  const int occupied = 23;
  EXPECT_EQ(matrix.cells(occupied).impact(), 5);
  EXPECT_EQ(matrix.cells(occupied).likelihood(), 4);
  EXPECT_EQ(matrix.cells(occupied).band(), "critical");  // 20 (M5)
  std::map<std::string, int64_t> bands;
  for (const v1::BandCount& count : matrix.band_counts()) {
    bands[count.band()] = count.risk_count();
  }
  EXPECT_EQ(bands, (std::map<std::string, int64_t>{{"very_low", 0},
                                                   {"low", 0},
                                                   {"medium", 1},
                                                   {"high", 0},
                                                   {"critical", 1}}));
  EXPECT_EQ(matrix.risk_count(), 3);
  EXPECT_EQ(matrix.unanalysed_count(), 1);
  EXPECT_EQ(matrix.unplaced_count(), 0);

  request.set_filter("owner = \"bob\"");
  const v1::RiskMatrix bobs = Must(&Stub::GetRiskMatrix, request);
  EXPECT_EQ(bobs.risk_count(), 1);
  EXPECT_EQ(bobs.cells(occupied).risk_count(), 1);
  EXPECT_EQ(bobs.cells(occupied).adjusted_count(), 0);

  // Bad requests are refused by field and name every bad one.
  v1::GetRiskMatrixRequest bad;
  bad.set_parent("acme");
  bad.set_filter("colour = \"red\"");
  bad.mutable_as_of()->set_log_position(0);
  RpcResult<v1::RiskMatrix> refused = Call(&Stub::GetRiskMatrix, bad);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(refused.status),
              ::testing::UnorderedElementsAre("parent", "filter",
                                              "as_of.log_position"));
}

TEST_F(PointInTimeTest, BadPointsAreRefusedByField) {
  CreateAsset(kTenant, "payroll");
  const int64_t head = LogHead().position;
  struct Case {
    std::string label;
    v1::AsOf as_of;
    grpc::StatusCode code;
    std::vector<std::string> fields;
  };
  std::vector<Case> cases;
  cases.push_back({"no point", v1::AsOf(), grpc::StatusCode::INVALID_ARGUMENT,
                   {"as_of"}});
  v1::AsOf zero;
  zero.set_log_position(0);
  cases.push_back({"position 0", zero, grpc::StatusCode::INVALID_ARGUMENT,
                   {"as_of.log_position"}});
  v1::AsOf negative;
  negative.set_log_position(-5);
  cases.push_back({"negative position", negative,
                   grpc::StatusCode::INVALID_ARGUMENT, {"as_of.log_position"}});
  v1::AsOf beyond;
  beyond.set_log_position(head + 1);
  cases.push_back({"beyond the log", beyond, grpc::StatusCode::OUT_OF_RANGE,
                   {}});
  v1::AsOf bad_nanos;
  bad_nanos.mutable_time()->set_nanos(1000000000);
  cases.push_back({"nanos", bad_nanos, grpc::StatusCode::INVALID_ARGUMENT,
                   {"as_of.time"}});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    v1::GetAssetRequest get;
    get.set_name(AssetName(kTenant, "payroll"));
    *get.mutable_as_of() = c.as_of;
    RpcResult<v1::Asset> got = Call(&Stub::GetAsset, get);
    EXPECT_EQ(got.status.error_code(), c.code) << DescribeStatus(got.status);
    EXPECT_EQ(ViolatedFields(got.status), c.fields);
    v1::ListRisksRequest list;
    list.set_parent(kTenant);
    *list.mutable_as_of() = c.as_of;
    RpcResult<v1::ListRisksResponse> listed = Call(&Stub::ListRisks, list);
    EXPECT_EQ(listed.status.error_code(), c.code);
    EXPECT_EQ(ViolatedFields(listed.status), c.fields);
  }
  // Both the name and the point are named when both are wrong.
  v1::GetRiskRequest both;
  both.set_name("risks/R-1");
  both.mutable_as_of()->set_log_position(0);
  EXPECT_THAT(ViolatedFields(Call(&Stub::GetRisk, both).status),
              ElementsAre("name", "as_of.log_position"));
  // A time before the first entry: nothing existed.
  v1::AsOf before;
  *before.mutable_time() = ToProtoTimestamp(DefaultClockStart() - absl::Hours(1));
  EXPECT_THAT(ListAllAssets(kTenant, 0, &before), IsEmpty());
  // A page token binds its point: it does not resume another one.
  CreateAsset(kTenant, "second");
  v1::ListAssetsRequest first_page;
  first_page.set_parent(kTenant);
  first_page.set_page_size(1);
  first_page.mutable_as_of()->set_log_position(LogHead().position);
  RpcResult<v1::ListAssetsResponse> page = Call(&Stub::ListAssets, first_page);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page.response.next_page_token().empty());
  first_page.set_page_token(page.response.next_page_token());
  first_page.mutable_as_of()->set_log_position(head);
  RpcResult<v1::ListAssetsResponse> moved = Call(&Stub::ListAssets, first_page);
  EXPECT_THAT(ViolatedFields(moved.status), ElementsAre("page_token"));
  EXPECT_EQ(LogHead().position, head + 1);  // reads wrote nothing
}

}  // namespace
}  // namespace riskledger::integration
