// The gRPC adapter of riskledger.v1.AssessmentService (callback API): each
// method builds the call's context, calls AssessmentHandlers and finishes the
// call with the converted status. No method blocks its gRPC thread on the
// disk: a read answers on it; a mutation finishes when the command runner
// replies (see docs/ARCHITECTURE.md, "The handler pattern").
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_SERVICE_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_SERVICE_H_

#include <atomic>
#include <functional>
#include <memory>

#include "absl/time/time.h"
#include "riskledger/v1/assessment_service.grpc.pb.h"
#include "services/assessment/assessment_handlers.h"
#include "storage/executor.h"

namespace riskledger::assessment {

// Thread-safe: methods run concurrently on gRPC's threads.
class AssessmentService final
    : public v1::AssessmentService::CallbackService {
 public:
  // `handlers` must outlive the service; `clock` gives the decision time.
  AssessmentService(const AssessmentHandlers& handlers,
                    std::function<absl::Time()> clock);

  grpc::ServerUnaryReactor* GetMethodology(grpc::CallbackServerContext* context,
      const v1::GetMethodologyRequest* request, v1::Methodology* response) override;
  grpc::ServerUnaryReactor* CreateAsset(grpc::CallbackServerContext* context,
      const v1::CreateAssetRequest* request, v1::Asset* response) override;
  grpc::ServerUnaryReactor* GetAsset(grpc::CallbackServerContext* context,
      const v1::GetAssetRequest* request, v1::Asset* response) override;
  grpc::ServerUnaryReactor* ListAssets(grpc::CallbackServerContext* context,
      const v1::ListAssetsRequest* request, v1::ListAssetsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateAsset(grpc::CallbackServerContext* context,
      const v1::UpdateAssetRequest* request, v1::Asset* response) override;
  grpc::ServerUnaryReactor* RecordImpactAnalysis(grpc::CallbackServerContext* context,
      const v1::RecordImpactAnalysisRequest* request, v1::ImpactAnalysis* response) override;
  grpc::ServerUnaryReactor* GetImpactAnalysis(grpc::CallbackServerContext* context,
      const v1::GetImpactAnalysisRequest* request, v1::ImpactAnalysis* response) override;
  grpc::ServerUnaryReactor* ListImpactAnalyses(grpc::CallbackServerContext* context,
      const v1::ListImpactAnalysesRequest* request, v1::ListImpactAnalysesResponse* response) override;
  grpc::ServerUnaryReactor* CreateRisk(grpc::CallbackServerContext* context,
      const v1::CreateRiskRequest* request, v1::Risk* response) override;
  grpc::ServerUnaryReactor* GetRisk(grpc::CallbackServerContext* context,
      const v1::GetRiskRequest* request, v1::Risk* response) override;
  grpc::ServerUnaryReactor* ListRisks(grpc::CallbackServerContext* context,
      const v1::ListRisksRequest* request, v1::ListRisksResponse* response) override;
  grpc::ServerUnaryReactor* GetRiskMatrix(grpc::CallbackServerContext* context,
      const v1::GetRiskMatrixRequest* request, v1::RiskMatrix* response) override;
  grpc::ServerUnaryReactor* UpdateRisk(grpc::CallbackServerContext* context,
      const v1::UpdateRiskRequest* request, v1::Risk* response) override;
  grpc::ServerUnaryReactor* AnalyseRisk(grpc::CallbackServerContext* context,
      const v1::AnalyseRiskRequest* request, v1::Risk* response) override;
  grpc::ServerUnaryReactor* AdjustRiskLevel(grpc::CallbackServerContext* context,
      const v1::AdjustRiskLevelRequest* request, v1::Risk* response) override;
  grpc::ServerUnaryReactor* ListScoreHistory(grpc::CallbackServerContext* context,
      const v1::ListScoreHistoryRequest* request, v1::ListScoreHistoryResponse* response) override;

 private:
  // The audit facts, decision time and deadline of a mutating call.
  CallContext Call(const grpc::CallbackServerContext& context,
                   absl::string_view method,
                   const google::protobuf::Message& request,
                   absl::string_view request_id) const;

  // A mutation, finished when its command replies.
  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* Mutate(
      grpc::CallbackServerContext* context, absl::string_view method,
      const Request* request, Response* response,
      void (AssessmentHandlers::*handler)(const CallContext&, const Request&,
                                          ReplyFn<Response>) const);

  // Risk matrices waiting for or running on report_worker_: a pass over a
  // whole tenant is work no gRPC thread should do, and the queue is bounded.
  static constexpr int kMaxQueuedReports = 4;

  const AssessmentHandlers& handlers_;
  std::function<absl::Time()> clock_;
  std::unique_ptr<storage::Executor> report_worker_;
  std::atomic<int> queued_reports_{0};
};

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_SERVICE_H_
