#include "services/domain/risk_matrix.h"

#include <utility>

#include "services/domain/scoring.h"

namespace riskledger::domain {

RiskMatrixBuilder::RiskMatrixBuilder(const Methodology& methodology)
    : methodology_(methodology) {
  const int impacts = methodology.impact.max_score();
  const int likelihoods = methodology.likelihood.max_score();
  matrix_.cells.reserve(static_cast<size_t>(impacts) *
                        static_cast<size_t>(likelihoods));
  for (int impact = 1; impact <= impacts; ++impact) {
    for (int likelihood = 1; likelihood <= likelihoods; ++likelihood) {
      RiskMatrixCell cell;
      cell.impact = impact;
      cell.likelihood = likelihood;
      cell.level = impact * likelihood;
      const Band* band = BandForLevel(methodology, cell.level);
      if (band != nullptr) cell.band = band->id;
      matrix_.cells.push_back(std::move(cell));
    }
  }
  for (const Band& band : methodology.bands) matrix_.risks_by_band[band.id] = 0;
}

void RiskMatrixBuilder::AddUnanalysed() {
  ++matrix_.risks;
  ++matrix_.unanalysed;
}

void RiskMatrixBuilder::AddAnalysed(int impact, int likelihood,
                                    int effective_level, bool adjusted) {
  ++matrix_.risks;
  const auto likelihoods =
      static_cast<size_t>(methodology_.likelihood.max_score());
  if (methodology_.impact.Find(impact) == nullptr ||
      methodology_.likelihood.Find(likelihood) == nullptr) {
    ++matrix_.unplaced;
    return;
  }
  RiskMatrixCell& cell =
      matrix_.cells[static_cast<size_t>(impact - 1) * likelihoods +
                    static_cast<size_t>(likelihood - 1)];
  ++cell.risks;
  if (adjusted) ++cell.adjusted;
  // M5: the band follows the effective level, adjusted or not.
  const Band* band = BandForLevel(methodology_, effective_level);
  if (band != nullptr) ++matrix_.risks_by_band[band->id];
}

}  // namespace riskledger::domain
