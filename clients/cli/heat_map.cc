#include "clients/cli/heat_map.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace riskledger::cli {
namespace {

using riskledger::v1::RiskMatrix;
using riskledger::v1::RiskMatrixCell;

struct Grid {
  int max_impact = 0;
  int max_likelihood = 0;
  std::map<std::pair<int, int>, const RiskMatrixCell*> cells;  // (impact, likelihood)
  std::map<std::string, int> band_rank;  // bands by their lowest level: 0 = lowest
};

Grid GridOf(const RiskMatrix& matrix) {
  Grid grid;
  std::map<std::string, int> lowest_level;
  for (const RiskMatrixCell& cell : matrix.cells()) {
    grid.max_impact = std::max(grid.max_impact, cell.impact());
    grid.max_likelihood = std::max(grid.max_likelihood, cell.likelihood());
    grid.cells[{cell.impact(), cell.likelihood()}] = &cell;
    auto [it, inserted] = lowest_level.emplace(cell.band(), cell.level());
    if (!inserted) it->second = std::min(it->second, cell.level());
  }
  std::vector<std::pair<int, std::string>> bands;
  bands.reserve(lowest_level.size());
  for (const auto& [band, level] : lowest_level) bands.emplace_back(level, band);
  std::sort(bands.begin(), bands.end());
  for (size_t i = 0; i < bands.size(); ++i) {
    grid.band_rank[bands[i].second] = static_cast<int>(i);
  }
  return grid;
}

// Backgrounds from the lowest band to the highest: green, yellow, red,
// magenta; further bands grey.
constexpr const char* kAnsiBackground[] = {"42", "43", "41", "45"};
constexpr const char* kSvgFill[] = {"#4caf50", "#ffeb3b", "#f44336", "#9c27b0"};

template <size_t N>
const char* ByRank(const char* const (&palette)[N], int rank, const char* other) {
  return rank >= 0 && rank < static_cast<int>(N) ? palette[rank] : other;
}

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string Title(const RiskMatrix& matrix) {
  return absl::StrCat("Risk matrix of ", matrix.parent(), " (", matrix.methodology(),
                      " v", matrix.methodology_version(), ")");
}

}  // namespace

std::string RenderHeatMap(const RiskMatrix& matrix, bool color) {
  const Grid grid = GridOf(matrix);
  std::string out = absl::StrCat(Title(matrix), "\nimpact\n");
  for (int impact = grid.max_impact; impact >= 1; --impact) {
    absl::StrAppendFormat(&out, "%4d │", impact);
    for (int likelihood = 1; likelihood <= grid.max_likelihood; ++likelihood) {
      auto it = grid.cells.find({impact, likelihood});
      if (it == grid.cells.end()) {
        out += "      ";
        continue;
      }
      const RiskMatrixCell& cell = *it->second;
      const std::string count = absl::StrFormat("%5d ", cell.risk_count());
      if (color) {
        absl::StrAppend(&out, "\x1b[30;",
                        ByRank(kAnsiBackground, grid.band_rank.at(cell.band()), "47"),
                        "m", count, "\x1b[0m");
      } else {
        out += count;
      }
    }
    out += "\n";
  }
  absl::StrAppend(&out, "     └", std::string(6 * static_cast<size_t>(grid.max_likelihood), '-'), "\n      ");
  for (int likelihood = 1; likelihood <= grid.max_likelihood; ++likelihood) {
    absl::StrAppendFormat(&out, "%5d ", likelihood);
  }
  out += " likelihood\nbands:";
  for (const auto& band : matrix.band_counts()) {
    absl::StrAppend(&out, "  ", band.band(), " ", band.risk_count());
  }
  absl::StrAppend(&out, "\nrisks: ", matrix.risk_count(), "  not analysed: ",
                  matrix.unanalysed_count(), "\n");
  return out;
}

std::string RenderHeatMapSvg(const RiskMatrix& matrix) {
  const Grid grid = GridOf(matrix);
  constexpr int kCell = 60;
  constexpr int kLeft = 70;
  constexpr int kTop = 50;
  const int width = kLeft + kCell * grid.max_likelihood + 20;
  const int height = kTop + kCell * grid.max_impact + 60;
  std::string out = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n"
      "<title>%s</title>\n"
      "<text x=\"%d\" y=\"25\" font-size=\"14\">%s</text>\n",
      width, height, width, height, XmlEscape(Title(matrix)), kLeft,
      XmlEscape(Title(matrix)));
  for (int impact = grid.max_impact; impact >= 1; --impact) {
    const int y = kTop + (grid.max_impact - impact) * kCell;
    absl::StrAppendFormat(&out,
                          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>\n",
                          kLeft - 8, y + kCell / 2 + 5, impact);
    for (int likelihood = 1; likelihood <= grid.max_likelihood; ++likelihood) {
      auto it = grid.cells.find({impact, likelihood});
      if (it == grid.cells.end()) continue;
      const RiskMatrixCell& cell = *it->second;
      const int x = kLeft + (likelihood - 1) * kCell;
      absl::StrAppendFormat(
          &out,
          "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
          "fill=\"%s\" stroke=\"#ffffff\" data-impact=\"%d\" "
          "data-likelihood=\"%d\" data-band=\"%s\"><title>impact %d × "
          "likelihood %d = %d (%s): %d risks</title></rect>\n"
          "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"16\">%d</text>\n",
          x, y, kCell, kCell, ByRank(kSvgFill, grid.band_rank.at(cell.band()), "#9e9e9e"),
          impact, likelihood, XmlEscape(cell.band()), impact, likelihood, cell.level(),
          XmlEscape(cell.band()), cell.risk_count(), x + kCell / 2, y + kCell / 2 + 6,
          cell.risk_count());
    }
  }
  const int axis_y = kTop + grid.max_impact * kCell;
  for (int likelihood = 1; likelihood <= grid.max_likelihood; ++likelihood) {
    absl::StrAppendFormat(&out,
                          "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
                          kLeft + (likelihood - 1) * kCell + kCell / 2, axis_y + 20,
                          likelihood);
  }
  absl::StrAppendFormat(&out,
                        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">likelihood</text>\n"
                        "<text x=\"15\" y=\"%d\" transform=\"rotate(-90 15 %d)\" "
                        "text-anchor=\"middle\">impact</text>\n</svg>\n",
                        kLeft + grid.max_likelihood * kCell / 2, axis_y + 45,
                        kTop + grid.max_impact * kCell / 2,
                        kTop + grid.max_impact * kCell / 2);
  return out;
}

}  // namespace riskledger::cli
