// The gRPC adapter of riskledger.v1.AssessmentService: each handler builds the
// call's audit context, calls AssessmentHandlers and converts the status.
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_SERVICE_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_SERVICE_H_

#include <functional>

#include "absl/time/time.h"
#include "riskledger/v1/assessment_service.grpc.pb.h"
#include "services/assessment/assessment_handlers.h"

namespace riskledger::assessment {

// Thread-safe (sync gRPC API: handlers run concurrently on gRPC's threads).
class AssessmentService final : public v1::AssessmentService::Service {
 public:
  // `handlers` must outlive the service; `clock` gives the decision time.
  AssessmentService(const AssessmentHandlers& handlers,
                    std::function<absl::Time()> clock);

  grpc::Status GetMethodology(grpc::ServerContext* context,
                              const v1::GetMethodologyRequest* request,
                              v1::Methodology* response) override;
  grpc::Status CreateAsset(grpc::ServerContext* context,
                           const v1::CreateAssetRequest* request,
                           v1::Asset* response) override;
  grpc::Status GetAsset(grpc::ServerContext* context,
                        const v1::GetAssetRequest* request,
                        v1::Asset* response) override;
  grpc::Status ListAssets(grpc::ServerContext* context,
                          const v1::ListAssetsRequest* request,
                          v1::ListAssetsResponse* response) override;
  grpc::Status UpdateAsset(grpc::ServerContext* context,
                           const v1::UpdateAssetRequest* request,
                           v1::Asset* response) override;
  grpc::Status RecordImpactAnalysis(
      grpc::ServerContext* context,
      const v1::RecordImpactAnalysisRequest* request,
      v1::ImpactAnalysis* response) override;
  grpc::Status GetImpactAnalysis(grpc::ServerContext* context,
                                 const v1::GetImpactAnalysisRequest* request,
                                 v1::ImpactAnalysis* response) override;
  grpc::Status ListImpactAnalyses(
      grpc::ServerContext* context,
      const v1::ListImpactAnalysesRequest* request,
      v1::ListImpactAnalysesResponse* response) override;
  grpc::Status CreateRisk(grpc::ServerContext* context,
                          const v1::CreateRiskRequest* request,
                          v1::Risk* response) override;
  grpc::Status GetRisk(grpc::ServerContext* context,
                       const v1::GetRiskRequest* request,
                       v1::Risk* response) override;
  grpc::Status ListRisks(grpc::ServerContext* context,
                         const v1::ListRisksRequest* request,
                         v1::ListRisksResponse* response) override;
  grpc::Status UpdateRisk(grpc::ServerContext* context,
                          const v1::UpdateRiskRequest* request,
                          v1::Risk* response) override;
  grpc::Status AnalyseRisk(grpc::ServerContext* context,
                           const v1::AnalyseRiskRequest* request,
                           v1::Risk* response) override;
  grpc::Status AdjustRiskLevel(grpc::ServerContext* context,
                               const v1::AdjustRiskLevelRequest* request,
                               v1::Risk* response) override;
  grpc::Status ListScoreHistory(
      grpc::ServerContext* context, const v1::ListScoreHistoryRequest* request,
      v1::ListScoreHistoryResponse* response) override;

 private:
  // The audit facts and decision time of a mutating call.
  CallContext Call(const grpc::ServerContext& context, absl::string_view method,
                   const google::protobuf::Message& request,
                   absl::string_view request_id) const;

  const AssessmentHandlers& handlers_;
  std::function<absl::Time()> clock_;
};

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_ASSESSMENT_SERVICE_H_
