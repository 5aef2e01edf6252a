#include "clients/cli/rpc_client.h"

#include <random>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli/blocking_unary_call.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "openssl/rand.h"

namespace riskledger::cli {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr int kMaxAttempts = 5;
constexpr absl::Duration kInitialBackoff = absl::Milliseconds(50);
constexpr absl::Duration kMaxBackoff = absl::Seconds(2);

bool IsLoopback(const std::string& address) {
  return absl::StartsWith(address, "127.") ||
         absl::StartsWith(address, "localhost:") ||
         absl::StartsWith(address, "[::1]:");
}

const FieldDescriptor* StringField(const Message& message, const char* name) {
  const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(name);
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return nullptr;
  }
  return field;
}

bool HasString(const Message& message, const char* name) {
  const FieldDescriptor* field = StringField(message, name);
  return field != nullptr &&
         !message.GetReflection()->GetString(message, field).empty();
}

// An etag on the request or on the resource it carries.
bool CarriesEtag(const Message& request) {
  if (HasString(request, "etag")) return true;
  const google::protobuf::Reflection* reflection = request.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(request, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        !field->is_repeated() &&
        HasString(reflection->GetMessage(request, field), "etag")) {
      return true;
    }
  }
  return false;
}

bool IsRead(const google::protobuf::MethodDescriptor& method) {
  return absl::StartsWith(method.name(), "Get") ||
         absl::StartsWith(method.name(), "List") ||
         absl::StartsWith(method.name(), "Verify");
}

absl::Duration Jitter(absl::Duration d) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> factor(0.5, 1.0);
  return d * factor(random);
}

}  // namespace

std::string NewRequestId() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    std::random_device device;
    for (unsigned char& byte : b) byte = static_cast<unsigned char>(device());
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return absl::StrFormat(
      "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
      b[12], b[13], b[14], b[15]);
}

void SetRequestIdIfEmpty(Message& request, const std::string& id) {
  const FieldDescriptor* field = StringField(request, "request_id");
  if (field != nullptr &&
      request.GetReflection()->GetString(request, field).empty()) {
    request.GetReflection()->SetString(&request, field, id);
  }
}

absl::StatusOr<std::unique_ptr<RpcClient>> RpcClient::Connect(
    const Config& config) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (!config.ca_file.empty()) {
    std::FILE* file = std::fopen(config.ca_file.c_str(), "rb");
    if (file == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("ca_file ", config.ca_file, " cannot be read"));
    }
    std::string roots;
    char chunk[4096];
    for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, file)) > 0;) {
      roots.append(chunk, n);
    }
    std::fclose(file);
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = roots;
    credentials = grpc::SslCredentials(options);
  } else if (IsLoopback(config.server)) {
    credentials = grpc::InsecureChannelCredentials();
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "plain text to ", config.server,
        " is allowed to loopback addresses only; give --ca_file for TLS"));
  }
  return std::unique_ptr<RpcClient>(
      new RpcClient(grpc::CreateChannel(config.server, credentials), config));
}

void RpcClient::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(absl::ToChronoTime(absl::Now() + config_.timeout));
  if (!config_.token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", config_.token));
  }
}

grpc::Status RpcClient::Attempt(const std::string& path,
                                const std::string& request,
                                std::string& response,
                                absl::Time deadline) const {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(deadline));
  if (!config_.token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", config_.token));
  }
  return BlockingUnaryCall(channel_, context, path, request, response);
}

grpc::Status RpcClient::Call(const google::protobuf::MethodDescriptor& method,
                             const Message& request, Message& response) const {
  std::unique_ptr<Message> sent(request.New());
  sent->CopyFrom(request);
  SetRequestIdIfEmpty(*sent, NewRequestId());
  const bool idempotent = IsRead(method) || HasString(*sent, "request_id");
  const bool etag_sent = CarriesEtag(*sent);
  const std::string path =
      absl::StrCat("/", method.service()->full_name(), "/", method.name());
  const std::string bytes = sent->SerializeAsString();
  const absl::Time deadline = absl::Now() + config_.timeout;
  absl::Duration backoff = kInitialBackoff;
  for (int attempt = 1;; ++attempt) {
    std::string answer;
    grpc::Status status = Attempt(path, bytes, answer, deadline);
    if (status.ok()) {
      if (!response.ParseFromString(answer)) {
        return grpc::Status(grpc::StatusCode::INTERNAL,
                            "the server's answer does not parse");
      }
      return status;
    }
    const bool retryable =
        (status.error_code() == grpc::StatusCode::UNAVAILABLE && idempotent) ||
        (status.error_code() == grpc::StatusCode::ABORTED && !etag_sent);
    const absl::Duration wait = Jitter(backoff);
    if (!retryable || attempt >= kMaxAttempts || absl::Now() + wait >= deadline) {
      return status;
    }
    absl::SleepFor(wait);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

std::string DescribeStatus(const grpc::Status& status) {
  static constexpr const char* kNames[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
      "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
      "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  const int code = status.error_code();
  std::string text = absl::StrCat(
      code >= 0 && code <= 16 ? kNames[code] : absl::StrCat("code ", code),
      ": ", status.error_message());
  google::rpc::Status details;
  if (status.error_details().empty() ||
      !details.ParseFromString(status.error_details())) {
    return text;
  }
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::ErrorInfo info;
    if (detail.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) {
        absl::StrAppend(&text, "\n  ", violation.field(), ": ",
                        violation.description());
      }
    } else if (detail.UnpackTo(&info)) {
      absl::StrAppend(&text, "\n  reason: ", info.reason());
    }
  }
  return text;
}

}  // namespace riskledger::cli
