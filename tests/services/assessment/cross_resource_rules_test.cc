// Rules that span two resources (M3: a risk names a component of its asset;
// a component still named cannot be removed) hold against a command that
// commits between another command's decision and its append. In one process
// the serialization keys already keep such commands apart, so these tests
// give each command its own CommandRunner (its own lock stripes, as two
// processes would have) and run the competing command from inside the
// first one's append: only the cross-resource stream expectations can then
// keep the rule. Each test fails when its expectation is removed.
#include <functional>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "services/assessment/assessment_handlers.h"
#include "services/base/status_details.h"
#include "services/common/command_runner.h"
#include "services/common/event_registry.h"
#include "services/common/page_token.h"
#include "storage/rocksdb_event_store.h"
#include "tests/testing/await.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::assessment {
namespace {

// The real store, with a hook that runs once just before the next append.
class InterceptingStore : public storage::EventStore {
 public:
  explicit InterceptingStore(storage::EventStore& store) : store_(store) {}

  void BeforeNextAppend(std::function<void()> hook) {
    hook_ = std::move(hook);
  }

  void AppendAsync(storage::AppendRequest request,
                   storage::AppendCallbacks callbacks) override {
    if (hook_) {
      std::function<void()> hook = std::move(hook_);
      hook_ = nullptr;
      hook();
    }
    store_.AppendAsync(std::move(request), std::move(callbacks));
  }
  storage::ProjectionLookup& SequencedProjections() override {
    return store_.SequencedProjections();
  }
  absl::StatusOr<int64_t> StreamVersion(absl::string_view stream) override {
    return store_.StreamVersion(stream);
  }
  absl::StatusOr<std::vector<storage::EventEnvelope>> ReadStream(
      absl::string_view stream, int64_t from, size_t max) override {
    return store_.ReadStream(stream, from, max);
  }
  absl::StatusOr<std::vector<storage::EventEnvelope>> ReadAll(
      int64_t from, size_t max) override {
    return store_.ReadAll(from, max);
  }
  absl::StatusOr<storage::ChainHead> Head() override { return store_.Head(); }
  absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(
      absl::string_view key, absl::string_view digest) override {
    return store_.FindIdempotentResponse(key, digest);
  }
  void AwaitIdempotentResponse(
      std::string key, std::string digest,
      std::function<void(absl::StatusOr<std::optional<std::string>>)> done)
      override {
    store_.AwaitIdempotentResponse(std::move(key), std::move(digest),
                                   std::move(done));
  }
  absl::StatusOr<std::unique_ptr<storage::ProjectionReader>>
  SnapshotProjections() override {
    return store_.SnapshotProjections();
  }
  absl::Status RebuildProjections(const storage::Projector& p) override {
    return store_.RebuildProjections(p);
  }
  absl::StatusOr<std::optional<std::string>> GetProjection(
      storage::ProjectionTable table, absl::string_view key) override {
    return store_.GetProjection(table, key);
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  ScanProjection(storage::ProjectionTable table, absl::string_view prefix,
                 absl::string_view start_after, size_t max_count) override {
    return store_.ScanProjection(table, prefix, start_after, max_count);
  }

 private:
  storage::EventStore& store_;
  std::function<void()> hook_;
};

constexpr char kTenant[] = "tenants/acme";
constexpr char kAsset[] = "tenants/acme/assets/payroll";

class CrossResourceRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::RocksDbEventStore::Open({dir_.Sub("db"), true});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    intercepting_ = std::make_unique<InterceptingStore>(*store_);
    RegisterAssessment(registry_);
    runner_ =
        std::make_unique<CommandRunner>(*intercepting_, registry_, *pool_);
    other_runner_ = std::make_unique<CommandRunner>(*store_, registry_, *pool_);
    handlers_ = MakeHandlers(*runner_);
    other_ = MakeHandlers(*other_runner_);

    v1::CreateAssetRequest asset;
    asset.set_parent(kTenant);
    asset.set_asset_id("payroll");
    asset.mutable_asset()->set_display_name("Payroll");
    asset.mutable_asset()->set_owner("alice");
    asset.mutable_asset()->add_components()->set_name("database");
    asset.mutable_asset()->add_components()->set_name("frontend");
    ASSERT_TRUE(testing::AwaitCall(*other_, &AssessmentHandlers::CreateAsset, Call(), asset).ok());
  }

  static std::unique_ptr<AssessmentHandlers> MakeHandlers(
      const CommandRunner& runner) {
    return std::make_unique<AssessmentHandlers>(
        runner, domain::DefaultMethodology(),
        PageTokenCodec(std::string(kPageTokenKeyBytes, 'k')));
  }

  static CallContext Call() {
    CallContext call;
    call.audit.principal = "tester";
    call.audit.method = "/test";
    call.now = absl::FromUnixSeconds(1772359200);
    return call;
  }

  static v1::CreateRiskRequest RiskNaming(const std::string& component) {
    v1::CreateRiskRequest request;
    request.set_parent(kTenant);
    v1::Risk& risk = *request.mutable_risk();
    risk.set_asset(kAsset);
    risk.set_component(component);
    risk.set_vulnerability("weak passwords");
    risk.mutable_threat()->set_actor("external attacker");
    risk.set_risk_factor("credential stuffing");
    risk.set_risk_event("account takeover");
    risk.set_loss("disclosure of salaries");
    risk.add_affected_properties(v1::SECURITY_PROPERTY_CONFIDENTIALITY);
    risk.set_owner("alice");
    risk.set_source(v1::RISK_SOURCE_INTERNAL);
    return request;
  }

  static v1::UpdateAssetRequest KeepOnly(const std::string& component) {
    v1::UpdateAssetRequest request;
    request.mutable_asset()->set_name(kAsset);
    request.mutable_asset()->add_components()->set_name(component);
    request.mutable_update_mask()->add_paths("components");
    return request;
  }

  v1::Asset Asset() {
    v1::GetAssetRequest request;
    request.set_name(kAsset);
    return *other_->GetAsset(request);
  }

  testing::TempDir dir_;
  EventRegistry registry_;
  std::unique_ptr<storage::Executor> pool_ =
      storage::NewThreadPoolExecutor(2);
  std::unique_ptr<storage::RocksDbEventStore> store_;
  std::unique_ptr<InterceptingStore> intercepting_;
  std::unique_ptr<CommandRunner> runner_;
  std::unique_ptr<CommandRunner> other_runner_;
  std::unique_ptr<AssessmentHandlers> handlers_;
  std::unique_ptr<AssessmentHandlers> other_;
};

// The risk decided that "database" is a component of the asset; before it
// commits, the asset drops "database". The risk's expectation on the asset
// makes it re-decide and see the component gone.
TEST_F(CrossResourceRulesTest, RiskCannotNameAComponentRemovedMeanwhile) {
  intercepting_->BeforeNextAppend([&] {
    absl::StatusOr<v1::Asset> updated =
        testing::AwaitCall(*other_, &AssessmentHandlers::UpdateAsset, Call(), KeepOnly("frontend"));
    ASSERT_TRUE(updated.ok()) << updated.status();
  });
  absl::StatusOr<v1::Risk> risk =
      testing::AwaitCall(*handlers_, &AssessmentHandlers::CreateRisk, Call(), RiskNaming("database"));
  ASSERT_EQ(risk.status().code(), absl::StatusCode::kInvalidArgument)
      << "a risk names a component its asset no longer has";
  EXPECT_EQ(FieldViolationsOf(risk.status()).at(0).field, "risk.component");
  EXPECT_EQ(Asset().components_size(), 1);
  EXPECT_EQ(*store_->StreamVersion("tenants/acme/riskIdSequences/2026"), 0);
}

// The asset decided that no risk names "database"; before it commits, a risk
// comes to name it. The asset's expectation on the component usage makes it
// re-decide and refuse (M3).
TEST_F(CrossResourceRulesTest, ComponentNamedMeanwhileCannotBeRemoved) {
  intercepting_->BeforeNextAppend([&] {
    absl::StatusOr<v1::Risk> risk =
        testing::AwaitCall(*other_, &AssessmentHandlers::CreateRisk, Call(), RiskNaming("database"));
    ASSERT_TRUE(risk.ok()) << risk.status();
  });
  absl::StatusOr<v1::Asset> updated =
      testing::AwaitCall(*handlers_, &AssessmentHandlers::UpdateAsset, Call(), KeepOnly("frontend"));
  ASSERT_EQ(updated.status().code(), absl::StatusCode::kFailedPrecondition)
      << "a component was removed while a risk names it";
  EXPECT_NE(updated.status().message().find("R-2026-0001"), std::string::npos);
  EXPECT_EQ(Asset().components_size(), 2);
}

// Moving a risk off a component releases it: the component can then go.
TEST_F(CrossResourceRulesTest, ComponentNoLongerNamedCanBeRemoved) {
  absl::StatusOr<v1::Risk> risk =
      testing::AwaitCall(*other_, &AssessmentHandlers::CreateRisk, Call(), RiskNaming("database"));
  ASSERT_TRUE(risk.ok()) << risk.status();
  EXPECT_EQ(testing::AwaitCall(*other_, &AssessmentHandlers::UpdateAsset, Call(), KeepOnly("frontend")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::UpdateRiskRequest move;
  move.mutable_risk()->set_name(risk->name());
  move.mutable_risk()->set_component("frontend");
  move.mutable_update_mask()->add_paths("component");
  ASSERT_TRUE(testing::AwaitCall(*other_, &AssessmentHandlers::UpdateRisk, Call(), move).ok());
  EXPECT_TRUE(testing::AwaitCall(*other_, &AssessmentHandlers::UpdateAsset, Call(), KeepOnly("frontend")).ok());
}

}  // namespace
}  // namespace riskledger::assessment
