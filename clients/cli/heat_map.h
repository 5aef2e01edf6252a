// The risk matrix (M5: impact × likelihood, cells coloured by band) as a
// terminal heat map and as an SVG image.
#ifndef RISKLEDGER_CLIENTS_CLI_HEAT_MAP_H_
#define RISKLEDGER_CLIENTS_CLI_HEAT_MAP_H_

#include <string>

#include "riskledger/v1/assessment_service.pb.h"

namespace riskledger::cli {

// Impact upwards, likelihood to the right, each cell the number of risks in
// it; with `color`, the cell's background is its band's (ANSI escapes).
std::string RenderHeatMap(const riskledger::v1::RiskMatrix& matrix, bool color);

// The same as a standalone SVG document.
std::string RenderHeatMapSvg(const riskledger::v1::RiskMatrix& matrix);

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_HEAT_MAP_H_
