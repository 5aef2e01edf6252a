// Builds the audit facts of a call (M14): principal, peer, method, request id
// and request digest.
#ifndef RISKLEDGER_SERVICES_COMMON_AUDIT_CONTEXT_H_
#define RISKLEDGER_SERVICES_COMMON_AUDIT_CONTEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "storage/event_store.h"

namespace riskledger {

// The principal recorded for every call until authentication exists: calls are
// accepted only on loopback, from the operator of the machine.
inline constexpr char kDevelopmentPrincipal[] = "dev:local-operator";

// Lower-case hex SHA-256 of `method`, a newline, and the canonical encoding
// of the request (canonical_encoding.h; storage/EVENT_FORMAT.md "Request
// digest"): equal for a retry, different for any other request, and
// recomputable by any client or auditor.
std::string RequestDigest(absl::string_view method,
                          const google::protobuf::Message& request);

// The audit context of a call to `method` ("/pkg.Service/Method").
storage::AuditContext MakeAuditContext(const grpc::ServerContextBase& context,
                                       absl::string_view method,
                                       const google::protobuf::Message& request,
                                       absl::string_view request_id);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_AUDIT_CONTEXT_H_
