// AssessmentService methods: call context in, status out, nothing else.
#include "services/assessment/assessment_service.h"

#include <atomic>
#include <memory>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "services/common/audit_context.h"
#include "services/common/call_guard.h"
#include "services/common/grpc_status.h"
#include "services/common/unary_answers.h"

namespace riskledger::assessment {
namespace {

std::string MethodName(absl::string_view method) {
  return absl::StrCat("/", v1::AssessmentService::service_full_name(), "/",
                      method);
}

// The reactor of one mutating call: finished once, by the command's reply
// or by the call guard; a cancelled call cancels its waiting command.
// Deletes itself when gRPC is done with it.
class MutationCall final : public grpc::ServerUnaryReactor {
 public:
  const std::shared_ptr<Cancellation>& cancellation() const {
    return cancellation_;
  }

  // Finishes the call unless it was already finished.
  void FinishOnce(grpc::Status status) {
    if (!finished_.exchange(true)) Finish(std::move(status));
  }

  template <typename Response>
  ReplyFn<Response> Reply(Response* response) {
    return [this, response](absl::StatusOr<Response> result) {
      if (!result.ok()) return FinishOnce(ToGrpcStatus(result.status()));
      *response = *std::move(result);
      FinishOnce(grpc::Status::OK);
    };
  }

  void OnCancel() override { cancellation_->Cancel(); }
  void OnDone() override { delete this; }

 private:
  const std::shared_ptr<Cancellation> cancellation_ =
      std::make_shared<Cancellation>();
  std::atomic<bool> finished_{false};
};

}  // namespace

AssessmentService::AssessmentService(const AssessmentHandlers& handlers,
                                     std::function<absl::Time()> clock)
    : handlers_(handlers),
      clock_(std::move(clock)),
      report_worker_(storage::NewThreadPoolExecutor(1)) {}

CallContext AssessmentService::Call(const grpc::CallbackServerContext& context,
                                    absl::string_view method,
                                    const google::protobuf::Message& request,
                                    absl::string_view request_id) const {
  return CallContext{
      MakeAuditContext(context, MethodName(method), request, request_id),
      clock_(), absl::FromChrono(context.deadline()), nullptr};
}

template <typename Request, typename Response>
grpc::ServerUnaryReactor* AssessmentService::Mutate(
    grpc::CallbackServerContext* context, absl::string_view method,
    const Request* request, Response* response,
    void (AssessmentHandlers::*handler)(const CallContext&, const Request&,
                                        ReplyFn<Response>) const) {
  auto* call = new MutationCall();  // deletes itself in OnDone
  grpc::Status thrown = GuardCall(method, [&] {
    CallContext call_context =
        Call(*context, method, *request, request->request_id());
    call_context.cancellation = call->cancellation();
    (handlers_.*handler)(call_context, *request, call->Reply(response));
    return grpc::Status::OK;
  });
  if (!thrown.ok()) call->FinishOnce(std::move(thrown));
  return call;
}

grpc::ServerUnaryReactor* AssessmentService::GetMethodology(
    grpc::CallbackServerContext* context, const v1::GetMethodologyRequest* request,
    v1::Methodology* response) {
  return AnswerNow(context, "GetMethodology", response,
              [&] { return handlers_.GetMethodology(*request); });
}

grpc::ServerUnaryReactor* AssessmentService::CreateAsset(
    grpc::CallbackServerContext* context, const v1::CreateAssetRequest* request,
    v1::Asset* response) {
  return Mutate(context, "CreateAsset", request, response,
                &AssessmentHandlers::CreateAsset);
}

grpc::ServerUnaryReactor* AssessmentService::GetAsset(
    grpc::CallbackServerContext* context, const v1::GetAssetRequest* request,
    v1::Asset* response) {
  return AnswerNow(context, "GetAsset", response,
              [&] { return handlers_.GetAsset(*request); });
}

grpc::ServerUnaryReactor* AssessmentService::ListAssets(
    grpc::CallbackServerContext* context, const v1::ListAssetsRequest* request,
    v1::ListAssetsResponse* response) {
  return AnswerNow(context, "ListAssets", response,
              [&] { return handlers_.ListAssets(*request); });
}

grpc::ServerUnaryReactor* AssessmentService::UpdateAsset(
    grpc::CallbackServerContext* context, const v1::UpdateAssetRequest* request,
    v1::Asset* response) {
  return Mutate(context, "UpdateAsset", request, response,
                &AssessmentHandlers::UpdateAsset);
}

grpc::ServerUnaryReactor* AssessmentService::RecordImpactAnalysis(
    grpc::CallbackServerContext* context, const v1::RecordImpactAnalysisRequest* request,
    v1::ImpactAnalysis* response) {
  return Mutate(context, "RecordImpactAnalysis", request, response,
                &AssessmentHandlers::RecordImpactAnalysis);
}

grpc::ServerUnaryReactor* AssessmentService::GetImpactAnalysis(
    grpc::CallbackServerContext* context, const v1::GetImpactAnalysisRequest* request,
    v1::ImpactAnalysis* response) {
  return AnswerNow(context, "GetImpactAnalysis", response,
              [&] { return handlers_.GetImpactAnalysis(*request); });
}

grpc::ServerUnaryReactor* AssessmentService::ListImpactAnalyses(
    grpc::CallbackServerContext* context, const v1::ListImpactAnalysesRequest* request,
    v1::ListImpactAnalysesResponse* response) {
  return AnswerNow(context, "ListImpactAnalyses", response,
              [&] { return handlers_.ListImpactAnalyses(*request); });
}

grpc::ServerUnaryReactor* AssessmentService::CreateRisk(
    grpc::CallbackServerContext* context, const v1::CreateRiskRequest* request,
    v1::Risk* response) {
  return Mutate(context, "CreateRisk", request, response,
                &AssessmentHandlers::CreateRisk);
}

grpc::ServerUnaryReactor* AssessmentService::GetRisk(
    grpc::CallbackServerContext* context, const v1::GetRiskRequest* request,
    v1::Risk* response) {
  return AnswerNow(context, "GetRisk", response,
              [&] { return handlers_.GetRisk(*request); });
}

grpc::ServerUnaryReactor* AssessmentService::ListRisks(
    grpc::CallbackServerContext* context, const v1::ListRisksRequest* request,
    v1::ListRisksResponse* response) {
  return AnswerNow(context, "ListRisks", response,
              [&] { return handlers_.ListRisks(*request); });
}

grpc::ServerUnaryReactor* AssessmentService::GetRiskMatrix(
    grpc::CallbackServerContext* context,
    const v1::GetRiskMatrixRequest* request, v1::RiskMatrix* response) {
  if (queued_reports_.fetch_add(1) >= kMaxQueuedReports) {
    --queued_reports_;
    return AnswerNow(context, "GetRiskMatrix", response, [] {
      return absl::StatusOr<v1::RiskMatrix>(absl::ResourceExhaustedError(
          "too many risk matrices are being computed; retry shortly"));
    });
  }
  return AnswerOnWorker(
      context, *report_worker_, "GetRiskMatrix", response,
      [this, context, request]() -> absl::StatusOr<v1::RiskMatrix> {
        absl::Cleanup done = [this] { --queued_reports_; };
        if (context->IsCancelled()) {
          return absl::CancelledError("the call was cancelled while queued");
        }
        return handlers_.GetRiskMatrix(*request);
      });
}

grpc::ServerUnaryReactor* AssessmentService::UpdateRisk(
    grpc::CallbackServerContext* context, const v1::UpdateRiskRequest* request,
    v1::Risk* response) {
  return Mutate(context, "UpdateRisk", request, response,
                &AssessmentHandlers::UpdateRisk);
}

grpc::ServerUnaryReactor* AssessmentService::AnalyseRisk(
    grpc::CallbackServerContext* context, const v1::AnalyseRiskRequest* request,
    v1::Risk* response) {
  return Mutate(context, "AnalyseRisk", request, response,
                &AssessmentHandlers::AnalyseRisk);
}

grpc::ServerUnaryReactor* AssessmentService::AdjustRiskLevel(
    grpc::CallbackServerContext* context, const v1::AdjustRiskLevelRequest* request,
    v1::Risk* response) {
  return Mutate(context, "AdjustRiskLevel", request, response,
                &AssessmentHandlers::AdjustRiskLevel);
}

grpc::ServerUnaryReactor* AssessmentService::ListScoreHistory(
    grpc::CallbackServerContext* context, const v1::ListScoreHistoryRequest* request,
    v1::ListScoreHistoryResponse* response) {
  return AnswerNow(context, "ListScoreHistory", response,
              [&] { return handlers_.ListScoreHistory(*request); });
}

}  // namespace riskledger::assessment
