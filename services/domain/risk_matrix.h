// The risk matrix (M13): a heat map of analysed risks over the methodology's
// impact × likelihood scales, each cell with its level and band (M4, M5),
// and the count of risks per band of their effective (possibly adjusted)
// level.
#ifndef RISKLEDGER_SERVICES_DOMAIN_RISK_MATRIX_H_
#define RISKLEDGER_SERVICES_DOMAIN_RISK_MATRIX_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "services/domain/methodology.h"

namespace riskledger::domain {

struct RiskMatrixCell {
  int impact = 0;
  int likelihood = 0;
  // impact × likelihood (M4) and the band of that level (M5).
  int level = 0;
  std::string band;
  int64_t risks = 0;
  // Of `risks`, those whose level was adjusted (M4): their band counts
  // under the adjusted level.
  int64_t adjusted = 0;
};

struct RiskMatrix {
  // Impact-major: impact 1..max, within it likelihood 1..max; every cell of
  // the scales, empty ones too, so that a heat map needs no arithmetic.
  std::vector<RiskMatrixCell> cells;
  // Band id -> placed risks whose effective level is in it, every band
  // listed.
  std::map<std::string, int64_t> risks_by_band;
  int64_t risks = 0;
  // Risks not analysed yet (no cell).
  int64_t unanalysed = 0;
  // Analysed under scales this methodology does not have (another
  // methodology or version): counted, not placed.
  int64_t unplaced = 0;
};

// Accumulates risks one by one. `methodology` must be valid and outlive it.
class RiskMatrixBuilder {
 public:
  explicit RiskMatrixBuilder(const Methodology& methodology);

  void AddUnanalysed();
  // An analysed risk: its scores, its effective level (the adjusted one
  // when set, else impact × likelihood), and whether it was adjusted (an
  // adjustment may keep the computed level).
  void AddAnalysed(int impact, int likelihood, int effective_level,
                   bool adjusted);

  const RiskMatrix& matrix() const { return matrix_; }

 private:
  const Methodology& methodology_;
  RiskMatrix matrix_;
};

}  // namespace riskledger::domain

#endif  // RISKLEDGER_SERVICES_DOMAIN_RISK_MATRIX_H_
