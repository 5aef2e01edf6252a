#include "clients/cli/blocking_unary_call.h"

#include <vector>

#include "grpcpp/completion_queue.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace riskledger::cli {

grpc::Status BlockingUnaryCall(const std::shared_ptr<grpc::Channel>& channel,
                               grpc::ClientContext& context,
                               const std::string& path,
                               const std::string& request,
                               std::string& response) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::Slice slice(request);
  grpc::ByteBuffer sent(&slice, 1);
  grpc::ByteBuffer received;
  grpc::Status status;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
      stub.PrepareUnaryCall(&context, path, sent, &queue);
  call->StartCall();
  int finished = 0;
  call->Finish(&received, &status, &finished);
  void* tag = nullptr;
  bool ok = false;
  // The one event is the call's end (Finish always completes, ok or not).
  (void)queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  if (!received.Dump(&slices).ok()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "unreadable answer");
  }
  response.clear();
  for (const grpc::Slice& s : slices) {
    response.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return status;
}

}  // namespace riskledger::cli
