// riskctl's calls: any unary method of the generated services, by
// descriptor, with the behaviour of the Go and Java clients — a deadline, a
// request_id on a mutation that has none (so a retry writes once), retries
// with backoff for UNAVAILABLE (reads and mutations with a request id) and
// ABORTED without an etag, the bearer token.
#ifndef RISKLEDGER_CLIENTS_CLI_RPC_CLIENT_H_
#define RISKLEDGER_CLIENTS_CLI_RPC_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "clients/cli/config.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace riskledger::cli {

class RpcClient {
 public:
  // Plain text only to loopback; with config.ca_file, TLS.
  static absl::StatusOr<std::unique_ptr<RpcClient>> Connect(const Config& config);

  // Calls `method` with `request` (of its input type, sent with a request_id
  // when it has that field empty) and parses the answer into `response` (of
  // its output type).
  grpc::Status Call(const google::protobuf::MethodDescriptor& method,
                    const google::protobuf::Message& request,
                    google::protobuf::Message& response) const;

  // A context with this client's deadline and token, for a streaming call.
  void Prepare(grpc::ClientContext& context) const;

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

 private:
  RpcClient(std::shared_ptr<grpc::Channel> channel, const Config& config)
      : channel_(std::move(channel)), config_(config) {}

  grpc::Status Attempt(const std::string& path, const std::string& request,
                       std::string& response, absl::Time deadline) const;

  std::shared_ptr<grpc::Channel> channel_;
  Config config_;
};

// A fresh version 4 UUID (AIP-155's recommended request id).
std::string NewRequestId();

// The request with `request_id` set to `id` if it has that field empty.
void SetRequestIdIfEmpty(google::protobuf::Message& request, const std::string& id);

// The status as riskctl prints it: code, message, and each field violation
// (google.rpc.BadRequest) and the ErrorInfo reason on its own line.
std::string DescribeStatus(const grpc::Status& status);

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_RPC_CLIENT_H_
