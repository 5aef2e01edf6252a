#include "clients/cli/heat_map.h"

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace riskledger::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A 2 × 2 matrix: level = impact × likelihood (M5), bands low (1–2) and
// high (4).
v1::RiskMatrix TwoByTwo() {
  v1::RiskMatrix matrix;
  matrix.set_parent("tenants/a<b>");
  for (int impact = 1; impact <= 2; ++impact) {
    for (int likelihood = 1; likelihood <= 2; ++likelihood) {
      auto* cell = matrix.add_cells();
      cell->set_impact(impact);
      cell->set_likelihood(likelihood);
      cell->set_level(impact * likelihood);
      cell->set_band(impact * likelihood == 4 ? "high" : "low");
      cell->set_risk_count(impact == 2 && likelihood == 2 ? 7 : 0);
    }
  }
  return matrix;
}

int Count(const std::string& text, const std::string& part) {
  int n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST(HeatMapTest, ImpactRunsUpTheRowsAndLikelihoodAlongThem) {
  const std::string map = RenderHeatMap(TwoByTwo(), /*color=*/false);
  EXPECT_THAT(map, HasSubstr("   2 │    0     7 \n   1 │    0     0 \n"));
  EXPECT_THAT(map, Not(HasSubstr("\x1b")));
}

TEST(HeatMapTest, ColourFollowsTheBandsFromLowestToHighest) {
  const std::string map = RenderHeatMap(TwoByTwo(), /*color=*/true);
  EXPECT_EQ(Count(map, "\x1b[30;42m"), 3);  // low: green
  EXPECT_EQ(Count(map, "\x1b[30;43m"), 1);  // the next band: yellow
}

TEST(HeatMapTest, TheSvgHasACellPerScoreAndEscapesText) {
  const std::string svg = RenderHeatMapSvg(TwoByTwo());
  EXPECT_EQ(Count(svg, "class=\"cell\""), 4);
  EXPECT_THAT(svg, HasSubstr("data-impact=\"2\" data-likelihood=\"2\" data-band=\"high\""));
  EXPECT_THAT(svg, HasSubstr("tenants/a&lt;b&gt;"));
  EXPECT_THAT(svg, Not(HasSubstr("a<b>")));
}

}  // namespace
}  // namespace riskledger::cli
