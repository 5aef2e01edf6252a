// A unary call of any method by its full path, with serialized request and
// response, that waits for its answer on a completion queue of its own.
// Unlike the callback API's generic unary call, no gRPC thread touches the
// caller's ClientContext after it returns (ThreadSanitizer caught the
// callback flavour still reading a context the caller had already let go).
#ifndef RISKLEDGER_CLIENTS_CLI_BLOCKING_UNARY_CALL_H_
#define RISKLEDGER_CLIENTS_CLI_BLOCKING_UNARY_CALL_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace riskledger::cli {

// Calls `path` ("/package.Service/Method") with the serialized `request`;
// on OK, `response` holds the serialized answer. Waits without bound unless
// `context` has a deadline (every caller sets one).
grpc::Status BlockingUnaryCall(const std::shared_ptr<grpc::Channel>& channel,
                               grpc::ClientContext& context,
                               const std::string& path,
                               const std::string& request,
                               std::string& response);

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_BLOCKING_UNARY_CALL_H_
