// Request digests and audit contexts.
#include "services/common/audit_context.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "storage/event_codec.h"

namespace riskledger {

std::string RequestDigest(absl::string_view method,
                          const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    // Serializing a parsed request cannot fail (it is initialized); should it
    // ever, the digest still differs from every retry's, which is safe.
    if (!request.SerializeToCodedStream(&coded)) bytes.clear();
  }
  return storage::ToHex(storage::Sha256(absl::StrCat(method, "\n", bytes)));
}

storage::AuditContext MakeAuditContext(const grpc::ServerContext& context,
                                       absl::string_view method,
                                       const google::protobuf::Message& request,
                                       absl::string_view request_id) {
  storage::AuditContext audit;
  audit.principal = kDevelopmentPrincipal;
  audit.peer = context.peer();
  audit.method = std::string(method);
  audit.request_id = std::string(request_id);
  audit.request_digest = RequestDigest(method, request);
  return audit;
}

}  // namespace riskledger
