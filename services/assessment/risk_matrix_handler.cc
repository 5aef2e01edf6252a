// GetRiskMatrix (M13): the tenant's risks, read page by page as ListRisks
// reads them (same filter, same as_of), folded into the domain's matrix.
#include <utility>

#include "services/assessment/assessment_handlers.h"
#include "services/assessment/methodology_proto.h"
#include "services/base/status_macros.h"
#include "services/common/page_token.h"
#include "services/common/point_in_time.h"
#include "services/domain/risk_matrix.h"

namespace riskledger::assessment {
namespace {

v1::RiskMatrix ToProto(const domain::RiskMatrix& matrix,
                       const domain::Methodology& methodology,
                       const std::string& tenant) {
  v1::RiskMatrix out;
  out.set_parent(tenant);
  out.set_methodology(MethodologyName(methodology, tenant));
  out.set_methodology_version(methodology.version);
  for (const domain::RiskMatrixCell& cell : matrix.cells) {
    v1::RiskMatrixCell& to = *out.add_cells();
    to.set_impact(cell.impact);
    to.set_likelihood(cell.likelihood);
    to.set_level(cell.level);
    to.set_band(cell.band);
    to.set_risk_count(cell.risks);
    to.set_adjusted_count(cell.adjusted);
  }
  for (const domain::Band& band : methodology.bands) {
    v1::BandCount& count = *out.add_band_counts();
    count.set_band(band.id);
    count.set_risk_count(matrix.risks_by_band.at(band.id));
  }
  out.set_risk_count(matrix.risks);
  out.set_unanalysed_count(matrix.unanalysed);
  out.set_unplaced_count(matrix.unplaced);
  return out;
}

}  // namespace

absl::StatusOr<v1::RiskMatrix> AssessmentHandlers::GetRiskMatrix(
    const v1::GetRiskMatrixRequest& request) const {
  // ListRisks checks parent, filter and as_of under the same field names.
  v1::ListRisksRequest list;
  list.set_parent(request.parent());
  list.set_filter(request.filter());
  if (request.has_as_of()) *list.mutable_as_of() = request.as_of();
  // A time names whatever position the log has reached by then: resolved
  // once, every page is read as of the same position (and the register's
  // replay cache serves them all).
  if (request.as_of().has_time()) {
    absl::StatusOr<int64_t> position =
        ResolveAsOf(store_, request.as_of(), "as_of");
    if (position.ok() && *position > 0) {
      list.mutable_as_of()->set_log_position(*position);
    }
  }
  list.set_page_size(kMaxPageSize);
  list.set_order_by("risk_id");
  domain::RiskMatrixBuilder builder(methodology_);
  do {
    ASSIGN_OR_RETURN(v1::ListRisksResponse page, ListRisks(list));
    for (const v1::Risk& risk : page.risks()) {
      const v1::RiskAnalysis& analysis = risk.analysis();
      if (analysis.impact() == 0) {
        builder.AddUnanalysed();
      } else {
        builder.AddAnalysed(analysis.impact(), analysis.likelihood(),
                            analysis.level(), analysis.adjusted_level() != 0);
      }
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  return ToProto(builder.matrix(), methodology_, request.parent());
}

}  // namespace riskledger::assessment
