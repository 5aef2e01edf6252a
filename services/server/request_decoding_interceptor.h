// A server interceptor for every riskledger.* method that makes the decoded
// request what the handlers may trust:
// - unknown fields are discarded before the handler runs, so that nothing a
//   client adds outside the contract reaches the log, a read model, a digest
//   or a response;
// - a request gRPC could not decode (malformed protobuf, or invalid UTF-8 in
//   a string field, which proto3 forbids) is answered INVALID_ARGUMENT with
//   a message naming the cause, instead of gRPC's bare INTERNAL.
// Limits gRPC enforces before any interceptor runs (message and metadata
// size, compression) are answered by gRPC alone, without details.
// Only methods under "/riskledger." are touched: their requests are protobuf
// messages (gRPC's own health service, for one, receives raw byte buffers).
#ifndef RISKLEDGER_SERVICES_SERVER_REQUEST_DECODING_INTERCEPTOR_H_
#define RISKLEDGER_SERVICES_SERVER_REQUEST_DECODING_INTERCEPTOR_H_

#include "grpcpp/support/server_interceptor.h"

namespace riskledger::server {

class RequestDecodingInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace riskledger::server

#endif  // RISKLEDGER_SERVICES_SERVER_REQUEST_DECODING_INTERCEPTOR_H_
