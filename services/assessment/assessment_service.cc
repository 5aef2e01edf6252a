// AssessmentService handlers: audit context in, status out, nothing else.
#include "services/assessment/assessment_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/audit_context.h"
#include "services/common/grpc_status.h"

namespace riskledger::assessment {
namespace {

// Copies a successful result into the response and converts the status.
template <typename Response>
grpc::Status Reply(absl::StatusOr<Response> result, Response* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

std::string MethodName(absl::string_view method) {
  return absl::StrCat("/", v1::AssessmentService::service_full_name(), "/",
                      method);
}

}  // namespace

AssessmentService::AssessmentService(const AssessmentHandlers& handlers,
                                     std::function<absl::Time()> clock)
    : handlers_(handlers), clock_(std::move(clock)) {}

CallContext AssessmentService::Call(const grpc::ServerContext& context,
                                    absl::string_view method,
                                    const google::protobuf::Message& request,
                                    absl::string_view request_id) const {
  return CallContext{
      MakeAuditContext(context, MethodName(method), request, request_id),
      clock_(), absl::FromChrono(context.deadline())};
}

grpc::Status AssessmentService::GetMethodology(
    grpc::ServerContext*, const v1::GetMethodologyRequest* request,
    v1::Methodology* response) {
  return Reply(handlers_.GetMethodology(*request), response);
}

grpc::Status AssessmentService::CreateAsset(
    grpc::ServerContext* context, const v1::CreateAssetRequest* request,
    v1::Asset* response) {
  return Reply(handlers_.CreateAsset(Call(*context, "CreateAsset", *request,
                                          request->request_id()),
                                     *request),
               response);
}

grpc::Status AssessmentService::GetAsset(grpc::ServerContext*,
                                         const v1::GetAssetRequest* request,
                                         v1::Asset* response) {
  return Reply(handlers_.GetAsset(*request), response);
}

grpc::Status AssessmentService::ListAssets(grpc::ServerContext*,
                                           const v1::ListAssetsRequest* request,
                                           v1::ListAssetsResponse* response) {
  return Reply(handlers_.ListAssets(*request), response);
}

grpc::Status AssessmentService::UpdateAsset(
    grpc::ServerContext* context, const v1::UpdateAssetRequest* request,
    v1::Asset* response) {
  return Reply(handlers_.UpdateAsset(Call(*context, "UpdateAsset", *request,
                                          request->request_id()),
                                     *request),
               response);
}

grpc::Status AssessmentService::RecordImpactAnalysis(
    grpc::ServerContext* context,
    const v1::RecordImpactAnalysisRequest* request,
    v1::ImpactAnalysis* response) {
  return Reply(
      handlers_.RecordImpactAnalysis(Call(*context, "RecordImpactAnalysis",
                                          *request, request->request_id()),
                                     *request),
      response);
}

grpc::Status AssessmentService::GetImpactAnalysis(
    grpc::ServerContext*, const v1::GetImpactAnalysisRequest* request,
    v1::ImpactAnalysis* response) {
  return Reply(handlers_.GetImpactAnalysis(*request), response);
}

grpc::Status AssessmentService::ListImpactAnalyses(
    grpc::ServerContext*, const v1::ListImpactAnalysesRequest* request,
    v1::ListImpactAnalysesResponse* response) {
  return Reply(handlers_.ListImpactAnalyses(*request), response);
}

grpc::Status AssessmentService::CreateRisk(grpc::ServerContext* context,
                                           const v1::CreateRiskRequest* request,
                                           v1::Risk* response) {
  return Reply(handlers_.CreateRisk(Call(*context, "CreateRisk", *request,
                                         request->request_id()),
                                    *request),
               response);
}

grpc::Status AssessmentService::GetRisk(grpc::ServerContext*,
                                        const v1::GetRiskRequest* request,
                                        v1::Risk* response) {
  return Reply(handlers_.GetRisk(*request), response);
}

grpc::Status AssessmentService::ListRisks(grpc::ServerContext*,
                                          const v1::ListRisksRequest* request,
                                          v1::ListRisksResponse* response) {
  return Reply(handlers_.ListRisks(*request), response);
}

grpc::Status AssessmentService::UpdateRisk(grpc::ServerContext* context,
                                           const v1::UpdateRiskRequest* request,
                                           v1::Risk* response) {
  return Reply(handlers_.UpdateRisk(Call(*context, "UpdateRisk", *request,
                                         request->request_id()),
                                    *request),
               response);
}

grpc::Status AssessmentService::AnalyseRisk(
    grpc::ServerContext* context, const v1::AnalyseRiskRequest* request,
    v1::Risk* response) {
  return Reply(handlers_.AnalyseRisk(Call(*context, "AnalyseRisk", *request,
                                          request->request_id()),
                                     *request),
               response);
}

grpc::Status AssessmentService::AdjustRiskLevel(
    grpc::ServerContext* context, const v1::AdjustRiskLevelRequest* request,
    v1::Risk* response) {
  return Reply(handlers_.AdjustRiskLevel(Call(*context, "AdjustRiskLevel",
                                              *request, request->request_id()),
                                         *request),
               response);
}

grpc::Status AssessmentService::ListScoreHistory(
    grpc::ServerContext*, const v1::ListScoreHistoryRequest* request,
    v1::ListScoreHistoryResponse* response) {
  return Reply(handlers_.ListScoreHistory(*request), response);
}

}  // namespace riskledger::assessment
