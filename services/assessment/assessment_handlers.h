// The assessment use cases: each validates a request, and either reads the
// read models or runs a command through the process's CommandRunner: load
// the aggregate states it needs, ask the domain to decide, record the events. Independent of gRPC transport; the service adapter in
// assessment_service.h only converts statuses and builds the CallContext.
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_HANDLERS_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_HANDLERS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "riskledger/v1/methodology.pb.h"
#include "services/common/command_runner.h"
#include "services/common/event_registry.h"
#include "services/common/page_token.h"
#include "services/common/point_in_time.h"
#include "services/domain/methodology.h"
#include "storage/event_store.h"

namespace riskledger::assessment {

// The audit facts, decision time and deadline of one call.
struct CallContext {
  storage::AuditContext audit;
  absl::Time now;
  // When the client stops waiting; a command still queued then is dropped.
  absl::Time deadline = absl::InfiniteFuture();
  // Set when the client cancels; likewise. Null: the call cannot be
  // cancelled.
  std::shared_ptr<const Cancellation> cancellation;
};

// Thread-safe: handlers share only the store (thread-safe) and immutable data.
//
// Reads answer on the caller's thread. A mutation passes its outcome to
// `reply`, exactly once, on the caller's thread or, when the command had to
// wait or be written, on one of the runner's or store's threads; `request`
// must stay valid until then (gRPC keeps it until the call is finished).
class AssessmentHandlers {
 public:
  // `runner` (with its store) and `methodology` must outlive the handlers;
  // `page_tokens` keys the page tokens of every list method.
  AssessmentHandlers(const CommandRunner& runner,
                     const domain::Methodology& methodology,
                     PageTokenCodec page_tokens);

  absl::StatusOr<v1::Methodology> GetMethodology(
      const v1::GetMethodologyRequest& request) const;

  void CreateAsset(const CallContext& call, const v1::CreateAssetRequest& request,
                   ReplyFn<v1::Asset> reply) const;
  absl::StatusOr<v1::Asset> GetAsset(const v1::GetAssetRequest& request) const;
  absl::StatusOr<v1::ListAssetsResponse> ListAssets(
      const v1::ListAssetsRequest& request) const;
  void UpdateAsset(const CallContext& call, const v1::UpdateAssetRequest& request,
                   ReplyFn<v1::Asset> reply) const;

  void RecordImpactAnalysis(const CallContext& call, const v1::RecordImpactAnalysisRequest& request,
                            ReplyFn<v1::ImpactAnalysis> reply) const;
  absl::StatusOr<v1::ImpactAnalysis> GetImpactAnalysis(
      const v1::GetImpactAnalysisRequest& request) const;
  absl::StatusOr<v1::ListImpactAnalysesResponse> ListImpactAnalyses(
      const v1::ListImpactAnalysesRequest& request) const;

  void CreateRisk(const CallContext& call, const v1::CreateRiskRequest& request,
                  ReplyFn<v1::Risk> reply) const;
  absl::StatusOr<v1::Risk> GetRisk(const v1::GetRiskRequest& request) const;
  absl::StatusOr<v1::ListRisksResponse> ListRisks(
      const v1::ListRisksRequest& request) const;
  // M13: a pass over every risk ListRisks selects (page after page; as_of
  // replays once, the register's replay cache keeps it for the next page).
  absl::StatusOr<v1::RiskMatrix> GetRiskMatrix(
      const v1::GetRiskMatrixRequest& request) const;
  void UpdateRisk(const CallContext& call, const v1::UpdateRiskRequest& request,
                  ReplyFn<v1::Risk> reply) const;
  void AnalyseRisk(const CallContext& call, const v1::AnalyseRiskRequest& request,
                   ReplyFn<v1::Risk> reply) const;
  void AdjustRiskLevel(const CallContext& call, const v1::AdjustRiskLevelRequest& request,
                       ReplyFn<v1::Risk> reply) const;

  absl::StatusOr<v1::ListScoreHistoryResponse> ListScoreHistory(
      const v1::ListScoreHistoryRequest& request) const;

 private:
  // Where a read of `stream`'s read model answers from: the store, or (with
  // `as_of`, else null) the stream replayed up to that point (M14).
  absl::StatusOr<std::shared_ptr<storage::ProjectionReader>> ReaderAsOf(
      const std::string& stream, const v1::AsOf* as_of) const;
  // The read model at `key(stream)` now or (with `as_of`, else null) as it
  // was then: NOT_FOUND "<what> '<name>' does not exist" when absent.
  // `name_status` is how the request's name parsed; its violations and
  // as_of's are reported together.
  template <typename Model>
  absl::StatusOr<Model> GetModel(const absl::Status& name_status,
                                 const std::string& stream,
                                 std::string (*key)(absl::string_view),
                                 absl::string_view what, absl::string_view name,
                                 const v1::AsOf* as_of) const;
  // Where a list of `tenant`'s read models answers from: a snapshot of the
  // store, or (with `as_of`) the tenant's part of the log replayed up to
  // that point.
  absl::StatusOr<std::shared_ptr<storage::ProjectionReader>> RegisterAsOf(
      const std::string& tenant, const v1::AsOf* as_of) const;

  const CommandRunner& runner_;
  storage::EventStore& store_;
  const domain::Methodology& methodology_;
  const PageTokenCodec page_tokens_;
  // The tenant projections of the latest point-in-time list.
  const std::unique_ptr<TenantReplays> tenant_replays_;
};

// Registers the assessment aggregates, events and read-model projector in the
// process's registry (services/server wires every service's registration).
void RegisterAssessment(EventRegistry& registry);

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_HANDLERS_H_
