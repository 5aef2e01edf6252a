// AssessmentService handlers: audit context in, status out, nothing else.
#include "services/assessment/assessment_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/audit_context.h"
#include "services/common/call_guard.h"
#include "services/common/grpc_status.h"

namespace riskledger::assessment {
namespace {

// Runs `handler` under the call guard, copies a successful result into the
// response and converts the status.
template <typename Response, typename Handler>
grpc::Status Serve(absl::string_view method, Response* response,
                   Handler&& handler) {
  return GuardCall(method, [&] {
    absl::StatusOr<Response> result = handler();
    if (!result.ok()) return ToGrpcStatus(result.status());
    *response = *std::move(result);
    return grpc::Status::OK;
  });
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
  return Serve("GetMethodology", response,
               [&] { return handlers_.GetMethodology(*request); });
}

grpc::Status AssessmentService::CreateAsset(
    grpc::ServerContext* context, const v1::CreateAssetRequest* request,
    v1::Asset* response) {
  return Serve("CreateAsset", response, [&] {
    return handlers_.CreateAsset(
        Call(*context, "CreateAsset", *request, request->request_id()),
        *request);
  });
}

grpc::Status AssessmentService::GetAsset(grpc::ServerContext*,
                                         const v1::GetAssetRequest* request,
                                         v1::Asset* response) {
  return Serve("GetAsset", response,
               [&] { return handlers_.GetAsset(*request); });
}

grpc::Status AssessmentService::ListAssets(grpc::ServerContext*,
                                           const v1::ListAssetsRequest* request,
                                           v1::ListAssetsResponse* response) {
  return Serve("ListAssets", response,
               [&] { return handlers_.ListAssets(*request); });
}

grpc::Status AssessmentService::UpdateAsset(
    grpc::ServerContext* context, const v1::UpdateAssetRequest* request,
    v1::Asset* response) {
  return Serve("UpdateAsset", response, [&] {
    return handlers_.UpdateAsset(
        Call(*context, "UpdateAsset", *request, request->request_id()),
        *request);
  });
}

grpc::Status AssessmentService::RecordImpactAnalysis(
    grpc::ServerContext* context,
    const v1::RecordImpactAnalysisRequest* request,
    v1::ImpactAnalysis* response) {
  return Serve("RecordImpactAnalysis", response, [&] {
    return handlers_.RecordImpactAnalysis(
        Call(*context, "RecordImpactAnalysis", *request, request->request_id()),
        *request);
  });
}

grpc::Status AssessmentService::GetImpactAnalysis(
    grpc::ServerContext*, const v1::GetImpactAnalysisRequest* request,
    v1::ImpactAnalysis* response) {
  return Serve("GetImpactAnalysis", response,
               [&] { return handlers_.GetImpactAnalysis(*request); });
}

grpc::Status AssessmentService::ListImpactAnalyses(
    grpc::ServerContext*, const v1::ListImpactAnalysesRequest* request,
    v1::ListImpactAnalysesResponse* response) {
  return Serve("ListImpactAnalyses", response,
               [&] { return handlers_.ListImpactAnalyses(*request); });
}

grpc::Status AssessmentService::CreateRisk(grpc::ServerContext* context,
                                           const v1::CreateRiskRequest* request,
                                           v1::Risk* response) {
  return Serve("CreateRisk", response, [&] {
    return handlers_.CreateRisk(
        Call(*context, "CreateRisk", *request, request->request_id()),
        *request);
  });
}

grpc::Status AssessmentService::GetRisk(grpc::ServerContext*,
                                        const v1::GetRiskRequest* request,
                                        v1::Risk* response) {
  return Serve("GetRisk", response,
               [&] { return handlers_.GetRisk(*request); });
}

grpc::Status AssessmentService::ListRisks(grpc::ServerContext*,
                                          const v1::ListRisksRequest* request,
                                          v1::ListRisksResponse* response) {
  return Serve("ListRisks", response,
               [&] { return handlers_.ListRisks(*request); });
}

grpc::Status AssessmentService::UpdateRisk(grpc::ServerContext* context,
                                           const v1::UpdateRiskRequest* request,
                                           v1::Risk* response) {
  return Serve("UpdateRisk", response, [&] {
    return handlers_.UpdateRisk(
        Call(*context, "UpdateRisk", *request, request->request_id()),
        *request);
  });
}

grpc::Status AssessmentService::AnalyseRisk(
    grpc::ServerContext* context, const v1::AnalyseRiskRequest* request,
    v1::Risk* response) {
  return Serve("AnalyseRisk", response, [&] {
    return handlers_.AnalyseRisk(
        Call(*context, "AnalyseRisk", *request, request->request_id()),
        *request);
  });
}

grpc::Status AssessmentService::AdjustRiskLevel(
    grpc::ServerContext* context, const v1::AdjustRiskLevelRequest* request,
    v1::Risk* response) {
  return Serve("AdjustRiskLevel", response, [&] {
    return handlers_.AdjustRiskLevel(
        Call(*context, "AdjustRiskLevel", *request, request->request_id()),
        *request);
  });
}

grpc::Status AssessmentService::ListScoreHistory(
    grpc::ServerContext*, const v1::ListScoreHistoryRequest* request,
    v1::ListScoreHistoryResponse* response) {
  return Serve("ListScoreHistory", response,
               [&] { return handlers_.ListScoreHistory(*request); });
}

}  // namespace riskledger::assessment
