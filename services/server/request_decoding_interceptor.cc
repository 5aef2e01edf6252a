// RequestDecodingInterceptor: discard unknown fields after decoding; explain
// a failed decoding.
#include "services/server/request_decoding_interceptor.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "services/common/grpc_status.h"
#include "services/server/library_log.h"

namespace riskledger::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr char kOwnMethodPrefix[] = "/riskledger.";

class RequestDecodingInterceptor : public grpc::experimental::Interceptor {
 public:
  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      OnRequestDecoded(methods->GetRecvMessage());
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      OnStatus(methods);
    }
    methods->Proceed();
  }

 private:
  // An undecodable request becomes INVALID_ARGUMENT. gRPC answers it with
  // a bare INTERNAL (sync API) or UNIMPLEMENTED (callback API: the method
  // is never called).
  void OnStatus(grpc::experimental::InterceptorBatchMethods* methods) {
    const grpc::StatusCode code = methods->GetSendStatus().error_code();
    if (undecodable_ && (code == grpc::StatusCode::INTERNAL ||
                         code == grpc::StatusCode::UNIMPLEMENTED)) {
      methods->ModifySendStatus(ToGrpcStatus(absl::InvalidArgumentError(
          absl::StrCat("the request could not be decoded: ", cause_))));
    }
  }

  // `request` is what gRPC decoded, nullptr when decoding failed. gRPC's
  // generated handlers store a pointer to the request type (a protobuf
  // message, for every /riskledger. method) as void*; with single
  // inheritance its MessageLite base sits at the same address, which is
  // what makes this cast valid. dynamic_cast then checks it is a Message.
  void OnRequestDecoded(void* request) {
    if (request == nullptr) {
      undecodable_ = true;
      // Protobuf logs why it refused the bytes (e.g. "String field
      // 'riskledger.v1.Risk.owner' contains invalid UTF-8 data ...") on
      // the thread that decodes, which is the thread running this hook.
      cause_ = TakeLastProtobufComplaint();
      if (cause_.empty()) {
        cause_ =
            "the request message is missing, is not a well-formed protocol "
            "buffer of the method's request type, or a string field holds "
            "invalid UTF-8";
      }
      return;
    }
    auto* message = dynamic_cast<google::protobuf::Message*>(
        static_cast<google::protobuf::MessageLite*>(request));
    if (message != nullptr) message->DiscardUnknownFields();
  }

  bool undecodable_ = false;
  std::string cause_;
};

}  // namespace

grpc::experimental::Interceptor*
RequestDecodingInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  if (!absl::StartsWith(info->method(), kOwnMethodPrefix)) return nullptr;
  // The call's request is decoded on this thread after this point: forget
  // any complaint left by earlier work, so that only its own is reported.
  TakeLastProtobufComplaint();
  return new RequestDecodingInterceptor();
}

}  // namespace riskledger::server
