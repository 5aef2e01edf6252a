// Tests of the assessment read models derived from events, through the
// process's registry (aggregate state first, then the read-model projector).
#include "services/assessment/assessment_projector.h"

#include <memory>

#include "gtest/gtest.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "services/assessment/assessment_handlers.h"
#include "services/assessment/projection_keys.h"
#include "services/common/event_registry.h"
#include "storage/rocksdb_event_store.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::assessment {
namespace {

namespace ev = events::v1;
using storage::ProjectionTable;

class AssessmentProjectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::RocksDbEventStore::Open({dir_.Sub("db"), true});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    view_ = std::make_unique<storage::StagedProjection>(*store_);
    RegisterAssessment(registry_);
  }

  absl::Status Apply(const std::string& stream, int64_t version,
                     const google::protobuf::Message& payload,
                     absl::Time time) {
    storage::EventEnvelope event;
    event.stream_id = stream;
    event.stream_version = version;
    event.type = payload.GetDescriptor()->full_name();
    event.payload = payload.SerializeAsString();
    event.time = time;
    event.principal = "tester";
    return registry_.Apply(event, *view_);
  }

  v1::Risk StagedRisk(const std::string& name) {
    v1::Risk risk;
    auto bytes = view_->Get(ProjectionTable::kState, RiskKey(name));
    EXPECT_TRUE(bytes.ok() && bytes->has_value());
    EXPECT_TRUE(risk.ParseFromString(**bytes));
    return risk;
  }

  static ev::RiskIdentified Identified(const std::string& id) {
    ev::RiskIdentified identified;
    identified.set_risk_id(id);
    identified.set_asset("tenants/t/assets/hr");
    identified.set_status(ev::RISK_STATUS_IDENTIFIED);
    identified.mutable_identification()->set_risk_factor("weak passwords");
    return identified;
  }

  static ev::RiskAnalysed Analysed(bool with_transition) {
    ev::RiskAnalysed analysed;
    analysed.set_impact(4);
    analysed.set_likelihood(3);
    analysed.set_computed_level(12);
    analysed.mutable_evaluation()->set_level(12);
    analysed.mutable_evaluation()->set_band("high");
    if (with_transition) {
      analysed.mutable_status_transition()->set_from(
          ev::RISK_STATUS_IDENTIFIED);
      analysed.mutable_status_transition()->set_to(ev::RISK_STATUS_ANALYSED);
    }
    return analysed;
  }

  testing::TempDir dir_;
  EventRegistry registry_;
  std::unique_ptr<storage::RocksDbEventStore> store_;
  std::unique_ptr<storage::StagedProjection> view_;
};

TEST_F(AssessmentProjectorTest, AnalysisMovesTheRiskInThePriorityIndex) {
  const std::string name = "tenants/t/risks/R-2026-0001";
  ASSERT_TRUE(
      Apply(name, 1, Identified("R-2026-0001"), absl::FromUnixSeconds(1000))
          .ok());
  v1::Risk risk = StagedRisk(name);
  EXPECT_EQ(risk.etag(), "1");
  EXPECT_EQ(risk.create_time().seconds(), 1000);
  EXPECT_EQ(risk.risk_statement(),
            "weak passwords induces , which causes ");  // M3 statement
  const std::string unanalysed_key = PriorityKey("tenants/t", risk);
  EXPECT_EQ(view_->Get(ProjectionTable::kIndex, unanalysed_key)->value_or(""),
            name);

  ASSERT_TRUE(Apply(name, 2, Analysed(true), absl::FromUnixSeconds(2000)).ok());
  risk = StagedRisk(name);
  EXPECT_EQ(risk.status(), v1::RISK_STATUS_ANALYSED);
  EXPECT_EQ(risk.etag(), "2");
  EXPECT_EQ(risk.create_time().seconds(), 1000);
  EXPECT_EQ(risk.update_time().seconds(), 2000);
  EXPECT_EQ(risk.analysis().analyse_time().seconds(), 2000);
  EXPECT_EQ(risk.analysis().level(), 12);
  EXPECT_EQ(risk.analysis().band(), "high");
  EXPECT_FALSE(
      view_->Get(ProjectionTable::kIndex, unanalysed_key)->has_value());
  EXPECT_EQ(view_->Get(ProjectionTable::kIndex, PriorityKey("tenants/t", risk))
                ->value_or(""),
            name);
}

// The review's finding: the projector changed the status without an event
// recording it. The status now comes only from events.
TEST_F(AssessmentProjectorTest, StatusChangesOnlyWhenAnEventRecordsIt) {
  const std::string name = "tenants/t/risks/R-2026-0002";
  ASSERT_TRUE(
      Apply(name, 1, Identified("R-2026-0002"), absl::UnixEpoch()).ok());
  ASSERT_TRUE(Apply(name, 2, Analysed(false), absl::UnixEpoch()).ok());
  EXPECT_EQ(StagedRisk(name).status(), v1::RISK_STATUS_IDENTIFIED);
}

// The review's finding: a field another service adds to the Risk read model
// was overwritten by the next assessment event. Read models are merged.
TEST_F(AssessmentProjectorTest, FieldsOtherProjectorsOwnSurvive) {
  const std::string name = "tenants/t/risks/R-2026-0003";
  ASSERT_TRUE(
      Apply(name, 1, Identified("R-2026-0003"), absl::UnixEpoch()).ok());
  // A field this build does not know (as a later service's field would be).
  std::string bytes = StagedRisk(name).SerializeAsString();
  bytes += std::string("\xb8\x06\x2a", 3);  // field 103, varint 42
  view_->Put(ProjectionTable::kState, RiskKey(name), bytes);
  ASSERT_TRUE(Apply(name, 2, Analysed(true), absl::UnixEpoch()).ok());
  v1::Risk risk = StagedRisk(name);
  EXPECT_EQ(risk.analysis().level(), 12);
  EXPECT_EQ(risk.GetReflection()->GetUnknownFields(risk).field_count(), 1);
}

TEST_F(AssessmentProjectorTest, ImpactAnalysisIsKeptAndBecomesTheLatest) {
  const std::string asset = "tenants/t/assets/hr";
  ev::AssetRegistered registered;
  registered.mutable_attributes()->set_display_name("HR");
  ASSERT_TRUE(Apply(asset, 1, registered, absl::FromUnixSeconds(1)).ok());
  ev::ImpactAnalysisRecorded recorded;
  recorded.set_number(1);
  recorded.mutable_screening()->set_identification_required(true);
  recorded.mutable_methodology()->set_id("default");
  recorded.mutable_methodology()->set_version(1);
  ASSERT_TRUE(Apply(asset, 2, recorded, absl::FromUnixSeconds(5)).ok());
  v1::ImpactAnalysis kept;
  ASSERT_TRUE(kept.ParseFromString(
      view_->Get(ProjectionTable::kState, ImpactAnalysisKey(asset, 1))
          ->value()));
  EXPECT_EQ(kept.create_time().seconds(), 5);
  EXPECT_EQ(kept.principal(), "tester");
  EXPECT_EQ(kept.methodology(), "tenants/t/methodologies/default");
  v1::Asset projected;
  ASSERT_TRUE(projected.ParseFromString(
      view_->Get(ProjectionTable::kState, AssetKey(asset))->value()));
  EXPECT_EQ(projected.name(), asset);
  EXPECT_EQ(projected.display_name(), "HR");
  EXPECT_EQ(projected.etag(), "2");
  EXPECT_EQ(projected.latest_impact_analysis().name(),
            ImpactAnalysisName(asset, 1));
}

TEST_F(AssessmentProjectorTest, EventOutOfStreamOrderIsRefused) {
  EXPECT_EQ(Apply("tenants/t/risks/R-2026-0009", 2, Analysed(true),
                  absl::UnixEpoch())
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_TRUE(view_->TakeWrites().empty());
}

// A rebuild must not skip what it cannot read: the log holds it.
TEST_F(AssessmentProjectorTest, UnregisteredEventTypeIsDataLoss) {
  storage::EventEnvelope event;
  event.stream_id = "tenants/t/other/x";
  event.stream_version = 1;
  event.type = "RiskAnalysed";  // the unversioned name of the old format
  EXPECT_EQ(registry_.Apply(event, *view_).code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace riskledger::assessment
