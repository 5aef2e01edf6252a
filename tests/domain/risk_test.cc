// Decide and Evolve of the risk and risk-id sequence aggregates (M3, M4, M5,
// M14): every status change is in an event, evaluations come from the
// methodology's bands, and score changes keep their before/after values.
#include "services/domain/risk.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/base/status_details.h"
#include "services/domain/risk_id_sequence.h"
#include "services/domain/scoring.h"
#include "absl/strings/str_cat.h"

namespace riskledger::domain {
namespace {

namespace ev = events::v1;

std::string BandForLevelId(const Methodology& m, int level) {
  const Band* band = BandForLevel(m, level);
  return band == nullptr ? "" : band->id;
}

RiskAggregate::State Fold(const RiskEvents& events,
                          RiskAggregate::State state = {}) {
  for (const RiskAggregate::Event& event : events) {
    state = RiskAggregate::Evolve(std::move(state), event);
  }
  return state;
}

RiskAggregate::State Identified() {
  ev::RiskIdentification identification;
  identification.set_risk_factor("weak authentication");
  identification.set_risk_event("account takeover");
  identification.set_loss("disclosure of salaries");
  identification.set_owner("alice");
  ev::AssetAttributes asset;
  asset.add_components()->set_name("database");
  auto events = DecideIdentifyRisk("R-2026-0001", "tenants/t/assets/a", asset,
                                   identification);
  EXPECT_TRUE(events.ok()) << events.status();
  return Fold(*events);
}

RiskScoring Scoring(int impact, int likelihood) {
  RiskScoring scoring;
  scoring.impact = impact;
  scoring.likelihood = likelihood;
  scoring.impact_rationale = "salaries";
  scoring.likelihood_rationale = "seen twice";
  return scoring;
}

std::vector<std::string> Changes(const ev::RiskAnalysed& event) {
  std::vector<std::string> out;
  for (const ev::ScoreChange& c : event.changes()) {
    out.push_back(absl::StrCat(c.field(), ":", c.before(), "->", c.after()));
  }
  return out;
}

TEST(RiskIdSequenceTest, TakesContiguousIds) {
  RiskIdSequenceAggregate::State sequence;
  EXPECT_EQ(DecideNextRiskId(sequence, 2026).risk_id(), "R-2026-0001");
  sequence = RiskIdSequenceAggregate::Evolve(sequence,
                                             DecideNextRiskId(sequence, 2026));
  EXPECT_EQ(DecideNextRiskId(sequence, 2026).risk_id(), "R-2026-0002");
}

TEST(RiskTest, EntersTheRegisterIdentified) {
  RiskAggregate::State risk = Identified();
  EXPECT_EQ(risk.status(), ev::RISK_STATUS_IDENTIFIED);
  EXPECT_EQ(risk.risk_id(), "R-2026-0001");
  EXPECT_EQ(RiskStatement(risk.identification()),
            "weak authentication induces account takeover, which causes "
            "disclosure of salaries");  // M3
}

// M4/M5: the first analysis scores, evaluates and moves the risk to
// analysed, recorded in the event; a second one changes no status.
TEST(RiskTest, AnalysisEvaluatesAndRecordsTheStatusChange) {
  const Methodology& m = DefaultMethodology();
  auto first = DecideAnalyseRisk(Identified(), m, Scoring(4, 3));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 1u);
  const auto& analysed = std::get<ev::RiskAnalysed>(first->at(0));
  EXPECT_EQ(analysed.computed_level(), 12);
  EXPECT_EQ(analysed.evaluation().level(), 12);
  EXPECT_EQ(analysed.evaluation().band(), BandForLevelId(m, 12));
  EXPECT_EQ(analysed.status_transition().to(), ev::RISK_STATUS_ANALYSED);
  EXPECT_THAT(Changes(analysed),
              ::testing::ElementsAre("impact:0->4", "likelihood:0->3",
                                     "computed_level:0->12"));
  RiskAggregate::State risk = Fold(*first, Identified());
  EXPECT_EQ(risk.status(), ev::RISK_STATUS_ANALYSED);

  auto second = DecideAnalyseRisk(risk, m, Scoring(4, 4));
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(std::get<ev::RiskAnalysed>(second->at(0)).has_status_transition());
  EXPECT_EQ(DecideAnalyseRisk(risk, m, Scoring(6, 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// M4: an adjustment needs an analysis and a rationale, is evaluated at the
// adjusted level, and a new analysis drops it (with before/after, M14).
TEST(RiskTest, AdjustmentNeedsAnAnalysisAndIsDroppedByTheNext) {
  const Methodology& m = DefaultMethodology();
  auto early = DecideAdjustRiskLevel(Identified(), m, 10, "why");
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ViolatedRuleOf(early.status()), "M4");

  RiskAggregate::State risk =
      Fold(*DecideAnalyseRisk(Identified(), m, Scoring(4, 3)), Identified());
  EXPECT_EQ(DecideAdjustRiskLevel(risk, m, 26, "why").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecideAdjustRiskLevel(risk, m, 20, " ").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto adjusted = DecideAdjustRiskLevel(risk, m, 20, "regulator attention");
  ASSERT_TRUE(adjusted.ok()) << adjusted.status();
  const auto& event = std::get<ev::RiskLevelAdjusted>(adjusted->at(0));
  EXPECT_EQ(event.evaluation().level(), 20);
  EXPECT_EQ(event.evaluation().band(), BandForLevelId(m, 20));
  risk = Fold(*adjusted, risk);
  EXPECT_EQ(ScoresOf(risk).effective_level(), 20);
  EXPECT_EQ(risk.status(), ev::RISK_STATUS_ANALYSED);

  auto reanalysed = DecideAnalyseRisk(risk, m, Scoring(2, 2));
  ASSERT_TRUE(reanalysed.ok());
  EXPECT_THAT(Changes(std::get<ev::RiskAnalysed>(reanalysed->at(0))),
              ::testing::Contains("adjusted_level:20->0"));
  risk = Fold(*reanalysed, risk);
  EXPECT_EQ(risk.adjusted_level(), 0);
  EXPECT_EQ(risk.evaluation().level(), 4);
}

TEST(RiskTest, IdentificationChangeReplacesOnlyNamedFields) {
  RiskChange change;
  change.fields = {"owner", "existing_controls"};
  change.values.set_owner("bob");
  auto events = DecideChangeIdentification(Identified(), nullptr, change);
  ASSERT_TRUE(events.ok()) << events.status();
  RiskAggregate::State risk = Fold(*events, Identified());
  EXPECT_EQ(risk.identification().owner(), "bob");
  EXPECT_EQ(risk.identification().risk_factor(), "weak authentication");
  EXPECT_EQ(Changed(Identified().identification(), change).owner(), "bob");
}

// M3: a risk names a component of its asset, when identified and when its
// component changes.
TEST(RiskTest, DecisionsRefuseAComponentTheAssetLacks) {
  ev::AssetAttributes asset;
  asset.add_components()->set_name("database");
  ev::RiskIdentification identification;
  identification.set_component("printer");
  auto refused = DecideIdentifyRisk("R-2026-0002", "tenants/t/assets/a", asset,
                                    identification);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(refused.status()).at(0).field, "risk.component");
  RiskChange move;
  move.fields = {"component"};
  move.values.set_component("printer");
  EXPECT_EQ(DecideChangeIdentification(Identified(), &asset, move)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  move.values.set_component("database");
  EXPECT_TRUE(DecideChangeIdentification(Identified(), &asset, move).ok());
}

TEST(RiskTest, ComponentMustBeOneOfTheAssets) {
  ev::AssetAttributes asset;
  asset.add_components()->set_name("database");
  FieldViolationCollector violations;
  CheckComponentOfAsset(asset, "tenants/t/assets/a", "database", "c",
                        violations);
  CheckComponentOfAsset(asset, "tenants/t/assets/a", "", "c", violations);
  EXPECT_TRUE(violations.empty());
  CheckComponentOfAsset(asset, "tenants/t/assets/a", "printer", "c",
                        violations);
  EXPECT_FALSE(violations.empty());
}

}  // namespace
}  // namespace riskledger::domain
