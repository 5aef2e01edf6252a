// Decide and Evolve of the asset aggregate, with its impact analyses (M2,
// M3, M11, M14), and of the component usage the M3 removal rule reads.
#include "services/domain/asset.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/base/status_details.h"
#include "services/domain/component_usage.h"

namespace riskledger::domain {
namespace {

namespace ev = events::v1;
using ::testing::ElementsAre;

ev::AssetAttributes Attributes() {
  ev::AssetAttributes attributes;
  attributes.set_display_name("Payroll");
  attributes.set_owner("alice");
  attributes.add_components()->set_name("database");
  attributes.add_components()->set_name("frontend");
  attributes.mutable_value_assessment()->set_confidentiality(
      ev::VALUE_LEVEL_HIGH);
  return attributes;
}

template <typename Aggregate>
typename Aggregate::State Fold(
    const std::vector<typename Aggregate::Event>& events,
    typename Aggregate::State state = {}) {
  for (const auto& event : events) {
    state = Aggregate::Evolve(std::move(state), event);
  }
  return state;
}

AssetAggregate::State Registered() {
  auto events = DecideRegisterAsset({}, "tenants/t/assets/a", Attributes());
  EXPECT_TRUE(events.ok());
  return Fold<AssetAggregate>(*events);
}

std::vector<ev::CategoryScore> Scores(int score) {
  std::vector<ev::CategoryScore> scores;
  for (const ImpactCategory& category :
       DefaultMethodology().impact_categories) {
    ev::CategoryScore s;
    s.set_category(category.id);
    s.set_score(score);
    scores.push_back(s);
  }
  return scores;
}

TEST(AssetTest, RegistersOnceWithTheGivenAttributes) {
  EXPECT_EQ(Registered().attributes().owner(), "alice");
  Current<AssetAggregate::State> existing{1, Registered()};
  auto again = DecideRegisterAsset(existing, "tenants/t/assets/a", Attributes());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
}

TEST(AssetTest, ChangeReplacesNamedFieldsAndClearsUnsetOnes) {
  AssetChange change;
  change.fields = {"owner", "value_assessment"};
  change.values.set_owner("bob");  // value_assessment unset: cleared
  auto events = DecideChangeAsset(Registered(), {}, "tenants/t/assets/a", change);
  ASSERT_TRUE(events.ok()) << events.status();
  AssetAggregate::State after = Fold<AssetAggregate>(*events, Registered());
  EXPECT_EQ(after.attributes().owner(), "bob");
  EXPECT_FALSE(after.attributes().has_value_assessment());
  EXPECT_EQ(after.attributes().display_name(), "Payroll");  // not named
  EXPECT_EQ(after.attributes().components_size(), 2);
  // The event records the delta, not a snapshot.
  const auto& changed = std::get<ev::AssetAttributesChanged>(events->at(0));
  EXPECT_THAT(changed.fields(), ElementsAre("owner", "value_assessment"));
  EXPECT_TRUE(changed.values().display_name().empty());
}

// M3: a component a risk still names cannot be removed; the error names the
// rule and the risk.
TEST(AssetTest, ComponentStillNamedByARiskCannotBeRemoved) {
  ComponentUsageAggregate::State usage = Fold<ComponentUsageAggregate>(
      DecideNameComponent("R-2026-0001", "", "database"));
  AssetChange keep_frontend;
  keep_frontend.fields = {"components"};
  keep_frontend.values.add_components()->set_name("frontend");
  auto refused =
      DecideChangeAsset(Registered(), usage, "tenants/t/assets/a", keep_frontend);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ViolatedRuleOf(refused.status()), "M3");
  EXPECT_THAT(std::string(refused.status().message()),
              ::testing::HasSubstr("R-2026-0001"));

  // Once the risk moves to "frontend", "database" may go.
  usage = Fold<ComponentUsageAggregate>(
      DecideNameComponent("R-2026-0001", "database", "frontend"), usage);
  EXPECT_TRUE(
      DecideChangeAsset(Registered(), usage, "tenants/t/assets/a", keep_frontend)
          .ok());
  EXPECT_THAT(RemovedComponents(Registered().attributes(),
                                Changed(Registered().attributes(), keep_frontend)),
              ElementsAre("database"));
}

TEST(ComponentUsageTest, TracksWhichRisksNameWhichComponent) {
  ComponentUsageAggregate::State usage;
  usage = Fold<ComponentUsageAggregate>(
      DecideNameComponent("R-1", "", "web"), usage);
  usage = Fold<ComponentUsageAggregate>(
      DecideNameComponent("R-2", "", "db"), usage);
  usage = Fold<ComponentUsageAggregate>(
      DecideNameComponent("R-3", "", "web"), usage);
  EXPECT_THAT(RisksNaming(usage, "web"), ElementsAre("R-1", "R-3"));
  ASSERT_EQ(usage.components_size(), 2);
  EXPECT_EQ(usage.components(0).component(), "db");  // in name order
  usage = Fold<ComponentUsageAggregate>(
      DecideNameComponent("R-2", "db", ""), usage);
  EXPECT_TRUE(RisksNaming(usage, "db").empty());
  EXPECT_EQ(usage.components_size(), 1);
  EXPECT_TRUE(DecideNameComponent("R-1", "web", "web").empty());
}

// M2 and M14: analyses are numbered, screened, and record the category
// scores that changed against the previous one.
TEST(ImpactAnalysisTest, NumbersScreensAndRecordsChangedScores) {
  const Methodology& m = DefaultMethodology();
  auto first = DecideRecordImpactAnalysis(Registered(), m, Scores(2));
  ASSERT_TRUE(first.ok()) << first.status();
  const auto& recorded = std::get<ev::ImpactAnalysisRecorded>(first->at(0));
  EXPECT_EQ(recorded.number(), 1);
  EXPECT_EQ(recorded.methodology().id(), m.id);
  EXPECT_EQ(recorded.changes_size(), static_cast<int>(Scores(2).size()));
  EXPECT_EQ(recorded.changes(0).before(), 0);
  AssetAggregate::State analysed = Fold<AssetAggregate>(*first, Registered());
  EXPECT_EQ(analysed.impact_analyses(), 1);

  std::vector<ev::CategoryScore> scores = Scores(2);
  scores[0].set_score(5);
  auto second = DecideRecordImpactAnalysis(analysed, m, scores);
  ASSERT_TRUE(second.ok());
  const auto& next = std::get<ev::ImpactAnalysisRecorded>(second->at(0));
  EXPECT_EQ(next.number(), 2);
  ASSERT_EQ(next.changes_size(), 1);
  EXPECT_EQ(next.changes(0).before(), 2);
  EXPECT_EQ(next.changes(0).after(), 5);
  EXPECT_TRUE(next.screening().identification_required());  // a 5 (M2)

  scores[0].set_score(9);
  EXPECT_EQ(DecideRecordImpactAnalysis(analysed, m, scores).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace riskledger::domain
