// Request digests and audit contexts.
#include "services/common/audit_context.h"

#include "absl/strings/str_cat.h"
#include "services/common/canonical_encoding.h"
#include "storage/event_codec.h"

namespace riskledger {

std::string RequestDigest(absl::string_view method,
                          const google::protobuf::Message& request) {
  return storage::ToHex(storage::Sha256(
      absl::StrCat(method, "\n", CanonicalEncoding(request))));
}

storage::AuditContext MakeAuditContext(const grpc::ServerContextBase& context,
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
