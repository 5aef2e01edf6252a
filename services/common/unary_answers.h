// How a callback-API unary method answers with what a handler returns
// (absl::StatusOr<Response>): on the calling thread (reads), or on a worker
// (long scans, synced writes: a gRPC thread never waits on them). Either
// way an exception becomes INTERNAL (GuardCall). See docs/ARCHITECTURE.md,
// "The handler pattern".
#ifndef RISKLEDGER_SERVICES_COMMON_UNARY_ANSWERS_H_
#define RISKLEDGER_SERVICES_COMMON_UNARY_ANSWERS_H_

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"
#include "services/common/call_guard.h"
#include "services/common/grpc_status.h"
#include "storage/executor.h"

namespace riskledger {

// `response` set from `result` when it is OK; the call's status.
template <typename Response>
grpc::Status SetResponse(absl::StatusOr<Response> result, Response* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// Runs `handler` on this thread and finishes the call with its result.
template <typename Response, typename Handler>
grpc::ServerUnaryReactor* AnswerNow(grpc::CallbackServerContext* context,
                                    absl::string_view method,
                                    Response* response, Handler&& handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(
      GuardCall(method, [&] { return SetResponse(handler(), response); }));
  return reactor;
}

// Runs `handler` on `worker` and finishes the call with its result there
// (gRPC keeps `response` and the request alive until the call is finished).
// `method` must outlive the call (a literal).
template <typename Response, typename Handler>
grpc::ServerUnaryReactor* AnswerOnWorker(grpc::CallbackServerContext* context,
                                         storage::Executor& worker,
                                         absl::string_view method,
                                         Response* response,
                                         Handler handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  worker.Schedule([reactor, method, response,
                   handler = std::move(handler)]() mutable {
    reactor->Finish(
        GuardCall(method, [&] { return SetResponse(handler(), response); }));
  });
  return reactor;
}

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_UNARY_ANSWERS_H_
