// Tests of the assessment read models derived from events.
#include "services/assessment/assessment_projector.h"

#include <memory>

#include "gtest/gtest.h"
#include "riskledger/v1/audit_events.pb.h"
#include "services/assessment/event_types.h"
#include "services/assessment/projection_keys.h"
#include "storage/rocksdb_event_store.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::assessment {
namespace {

using storage::ProjectionTable;

class AssessmentProjectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::RocksDbEventStore::Open({dir_.Sub("db"), true});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    view_ = std::make_unique<storage::StagedProjection>(*store_);
  }

  absl::Status Apply(const std::string& stream, int64_t version,
                     const char* type, const google::protobuf::Message& payload,
                     absl::Time time) {
    storage::EventEnvelope event;
    event.stream_id = stream;
    event.stream_version = version;
    event.type = type;
    event.payload = payload.SerializeAsString();
    event.time = time;
    return projector_.Apply(event, *view_);
  }

  v1::Risk StagedRisk(const std::string& name) {
    v1::Risk risk;
    auto bytes = view_->Get(ProjectionTable::kState, RiskKey(name));
    EXPECT_TRUE(bytes.ok() && bytes->has_value());
    EXPECT_TRUE(risk.ParseFromString(**bytes));
    return risk;
  }

  testing::TempDir dir_;
  AssessmentProjector projector_;
  std::unique_ptr<storage::RocksDbEventStore> store_;
  std::unique_ptr<storage::StagedProjection> view_;
};

TEST_F(AssessmentProjectorTest, AnalysisMovesTheRiskInThePriorityIndex) {
  const std::string name = "tenants/t/risks/R-2026-0001";
  v1::RiskCreated created;
  created.mutable_risk()->set_name(name);
  created.mutable_risk()->set_risk_id("R-2026-0001");
  created.mutable_risk()->set_status(v1::RISK_STATUS_IDENTIFIED);
  const absl::Time t1 = absl::FromUnixSeconds(1000);
  ASSERT_TRUE(Apply(name, 1, kRiskCreated, created, t1).ok());
  v1::Risk risk = StagedRisk(name);
  EXPECT_EQ(risk.etag(), "1");
  EXPECT_EQ(risk.create_time().seconds(), 1000);
  const std::string unanalysed_key = PriorityKey("tenants/t", risk);
  EXPECT_EQ(view_->Get(ProjectionTable::kIndex, unanalysed_key)->value_or(""),
            name);

  v1::RiskAnalysed analysed;
  analysed.mutable_analysis()->set_impact(4);
  analysed.mutable_analysis()->set_likelihood(3);
  analysed.mutable_analysis()->set_computed_level(12);
  analysed.mutable_analysis()->set_level(12);
  ASSERT_TRUE(
      Apply(name, 2, kRiskAnalysed, analysed, absl::FromUnixSeconds(2000))
          .ok());
  risk = StagedRisk(name);
  EXPECT_EQ(risk.status(), v1::RISK_STATUS_ANALYSED);
  EXPECT_EQ(risk.etag(), "2");
  EXPECT_EQ(risk.create_time().seconds(), 1000);
  EXPECT_EQ(risk.update_time().seconds(), 2000);
  EXPECT_EQ(risk.analysis().level(), 12);
  EXPECT_FALSE(
      view_->Get(ProjectionTable::kIndex, unanalysed_key)->has_value());
  EXPECT_EQ(view_->Get(ProjectionTable::kIndex, PriorityKey("tenants/t", risk))
                ->value_or(""),
            name);
}

TEST_F(AssessmentProjectorTest, ImpactAnalysisIsKeptAndBecomesTheLatest) {
  const std::string asset = "tenants/t/assets/hr";
  v1::AssetCreated created;
  created.mutable_asset()->set_display_name("HR");
  ASSERT_TRUE(
      Apply(asset, 1, kAssetCreated, created, absl::FromUnixSeconds(1)).ok());
  v1::ImpactAnalysisRecorded recorded;
  recorded.mutable_analysis()->set_name(ImpactAnalysisName(asset, 1));
  recorded.mutable_analysis()->mutable_screening()->set_identification_required(
      true);
  ASSERT_TRUE(Apply(asset, 2, kImpactAnalysisRecorded, recorded,
                    absl::FromUnixSeconds(5))
                  .ok());
  v1::ImpactAnalysis kept;
  ASSERT_TRUE(kept.ParseFromString(
      view_->Get(ProjectionTable::kState, ImpactAnalysisKey(asset, 1))
          ->value()));
  EXPECT_EQ(kept.create_time().seconds(), 5);
  v1::Asset projected;
  ASSERT_TRUE(projected.ParseFromString(
      view_->Get(ProjectionTable::kState, AssetKey(asset))->value()));
  EXPECT_EQ(projected.name(), asset);
  EXPECT_EQ(projected.etag(), "2");
  EXPECT_EQ(projected.latest_impact_analysis().name(),
            ImpactAnalysisName(asset, 1));
}

TEST_F(AssessmentProjectorTest, EventForAMissingReadModelIsDataLoss) {
  v1::RiskAnalysed analysed;
  EXPECT_EQ(Apply("tenants/t/risks/R-2026-0009", 2, kRiskAnalysed, analysed,
                  absl::UnixEpoch())
                .code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(AssessmentProjectorTest, IgnoresEventsOfOtherServices) {
  v1::RiskAnalysed unused;
  EXPECT_TRUE(
      Apply("tenants/t/other/x", 1, "SomethingElse", unused, absl::UnixEpoch())
          .ok());
  EXPECT_TRUE(view_->TakeWrites().empty());
}

}  // namespace
}  // namespace riskledger::assessment
