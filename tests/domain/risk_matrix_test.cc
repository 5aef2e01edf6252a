// The risk matrix (M13) over the default methodology's 5 × 5 scales, with
// the M5 bands of Table 4.
#include "services/domain/risk_matrix.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/methodology.h"

namespace riskledger::domain {
namespace {

const RiskMatrixCell& CellAt(const RiskMatrix& matrix, int impact,
                             int likelihood) {
  return matrix.cells.at(static_cast<size_t>(impact - 1) * 5 +
                         static_cast<size_t>(likelihood - 1));
}

TEST(RiskMatrixTest, EveryCellOfTheScalesHasItsLevelAndBand) {
  RiskMatrixBuilder builder(DefaultMethodology());
  const RiskMatrix& matrix = builder.matrix();
  ASSERT_EQ(matrix.cells.size(), 25U);
  for (int impact = 1; impact <= 5; ++impact) {
    for (int likelihood = 1; likelihood <= 5; ++likelihood) {
      const RiskMatrixCell& cell = CellAt(matrix, impact, likelihood);
      EXPECT_EQ(cell.impact, impact);
      EXPECT_EQ(cell.likelihood, likelihood);
      EXPECT_EQ(cell.level, impact * likelihood);  // M4
      EXPECT_EQ(cell.risks, 0);
    }
  }
  // M5 Table 4 (not Table 3, which calls 15 "medium" and 20 "high").
  EXPECT_EQ(CellAt(matrix, 2, 2).band, "very_low");
  EXPECT_EQ(CellAt(matrix, 3, 3).band, "low");
  EXPECT_EQ(CellAt(matrix, 2, 5).band, "medium");
  EXPECT_EQ(CellAt(matrix, 3, 5).band, "high");
  EXPECT_EQ(CellAt(matrix, 4, 5).band, "critical");
  EXPECT_THAT(matrix.risks_by_band,
              ::testing::ElementsAre(::testing::Pair("critical", 0),
                                     ::testing::Pair("high", 0),
                                     ::testing::Pair("low", 0),
                                     ::testing::Pair("medium", 0),
                                     ::testing::Pair("very_low", 0)));
}

TEST(RiskMatrixTest, RisksFallInTheirCellAndTheirEffectiveLevelsBand) {
  RiskMatrixBuilder builder(DefaultMethodology());
  builder.AddAnalysed(4, 5, 20, false);
  builder.AddAnalysed(4, 5, 20, true);  // adjusted, to its computed level
  builder.AddAnalysed(2, 2, 12, true);  // adjusted up from 4 (M4)
  builder.AddUnanalysed();
  builder.AddAnalysed(7, 1, 7, false);  // not a score of these scales
  const RiskMatrix& matrix = builder.matrix();

  EXPECT_EQ(CellAt(matrix, 4, 5).risks, 2);
  EXPECT_EQ(CellAt(matrix, 4, 5).adjusted, 1);
  // The cell is where impact and likelihood put it; its band counts under
  // the adjusted level.
  EXPECT_EQ(CellAt(matrix, 2, 2).risks, 1);
  EXPECT_EQ(CellAt(matrix, 2, 2).adjusted, 1);
  EXPECT_EQ(matrix.risks_by_band.at("critical"), 2);
  EXPECT_EQ(matrix.risks_by_band.at("medium"), 1);
  EXPECT_EQ(matrix.risks_by_band.at("very_low"), 0);
  EXPECT_EQ(matrix.risks, 5);
  EXPECT_EQ(matrix.unanalysed, 1);
  EXPECT_EQ(matrix.unplaced, 1);
  int64_t placed = 0;
  for (const RiskMatrixCell& cell : matrix.cells) placed += cell.risks;
  EXPECT_EQ(placed, matrix.risks - matrix.unanalysed - matrix.unplaced);
}

}  // namespace
}  // namespace riskledger::domain
