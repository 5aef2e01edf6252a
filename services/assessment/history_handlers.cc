// Score history (M14): every score-changing event of a risk or an asset, read
// straight from the log with its audit facts and before/after values.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/assessment/assessment_handlers.h"
#include "services/assessment/handler_support.h"
#include "services/common/audit_entry_view.h"
#include "services/common/canonical_number.h"
#include "services/common/page_token.h"
#include "services/common/resource_names.h"

namespace riskledger::assessment {
namespace {

// Events read from the stream per round trip.
constexpr size_t kHistoryChunk = 256;

}  // namespace

absl::StatusOr<v1::ListScoreHistoryResponse>
AssessmentHandlers::ListScoreHistory(
    const v1::ListScoreHistoryRequest& request) const {
  FieldViolationCollector violations;
  std::string stream;
  if (absl::StrContains(request.parent(), "/risks/")) {
    absl::StatusOr<RiskName> risk = ParseRiskName(request.parent(), "parent");
    violations.Merge(risk.status(), "parent");
    if (risk.ok()) stream = risk->ToString();
  } else {
    absl::StatusOr<AssetName> asset =
        ParseAssetName(request.parent(), "parent");
    if (!asset.ok()) {
      violations.Add(
          "parent",
          "must name a risk (tenants/{tenant}/risks/{risk_id}) or an "
          "asset (tenants/{tenant}/assets/{asset})");
    } else {
      stream = asset->ToString();
    }
  }
  int page_size = EffectivePageSize(request.page_size(), violations);
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(int64_t stream_version, store_.StreamVersion(stream));
  if (stream_version == 0) {
    return absl::NotFoundError(
        absl::StrCat(EchoInput(stream), " does not exist"));
  }
  const std::string query = absl::StrCat("scoreHistory|", stream);
  ASSIGN_OR_RETURN(std::string resume,
                   page_tokens_.Decode(request.page_token(), query));
  // Tokens carry the last stream version listed (a MAC protects it; the
  // strict parse keeps even a leaked key from overflowing the arithmetic).
  int64_t after_version = 0;
  if (!resume.empty()) {
    std::optional<int64_t> parsed = ParseCanonicalPositive(resume);
    if (!parsed.has_value()) {
      return InvalidFieldError("page_token",
                               "is not a token this service issued");
    }
    after_version = *parsed;
  }

  v1::ListScoreHistoryResponse response;
  int64_t last_version = 0;
  PageBudget budget(page_size);
  // Ends the page with a token that resumes after stream version `version`.
  auto end_page =
      [&](int64_t version) -> absl::StatusOr<v1::ListScoreHistoryResponse> {
    ASSIGN_OR_RETURN(std::string token,
                     page_tokens_.Encode(query, absl::StrCat(version)));
    response.set_next_page_token(std::move(token));
    return std::move(response);
  };
  for (;;) {
    ASSIGN_OR_RETURN(
        std::vector<storage::EventEnvelope> events,
        store_.ReadStream(stream, after_version + 1, kHistoryChunk));
    for (const storage::EventEnvelope& event : events) {
      // Bounded work per call, as in ScanPage: resume after the last event
      // examined (a page may then be short, even empty).
      if (!budget.Examine()) return end_page(after_version);
      ASSIGN_OR_RETURN(DecodedEvent decoded,
                       DecodeLoggedEvent(runner_.registry(), event));
      std::optional<ScoreChanges> changes = ScoreChangesOf(*decoded.message);
      after_version = event.stream_version;
      if (!changes.has_value()) continue;
      v1::ScoreHistoryEntry entry;
      *entry.mutable_audit() = AuditStampOf(event);
      *entry.mutable_changes() = std::move(*changes);
      if (!budget.Admit(entry.ByteSizeLong())) return end_page(last_version);
      *response.add_entries() = std::move(entry);
      last_version = event.stream_version;
    }
    if (events.size() < kHistoryChunk) return response;
  }
}

}  // namespace riskledger::assessment
