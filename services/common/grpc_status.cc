// ToGrpcStatus: code mapping plus google.rpc.Status details.
#include "services/common/grpc_status.h"

#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/base/status_details.h"

namespace riskledger {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbering.
  auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(status.code()));
  rich.set_message(message);
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (!violations.empty()) {
    google::rpc::BadRequest bad_request;
    for (const FieldViolation& violation : violations) {
      auto* out = bad_request.add_field_violations();
      out->set_field(violation.field);
      out->set_description(violation.description);
    }
    rich.add_details()->PackFrom(bad_request);
  }
  std::string rule = ViolatedRuleOf(status);
  if (!rule.empty()) {
    google::rpc::ErrorInfo info;
    info.set_reason("METHODOLOGY_RULE");
    info.set_domain("riskledger.v1");
    (*info.mutable_metadata())["rule"] = rule;
    rich.add_details()->PackFrom(info);
  }
  if (rich.details_size() == 0) return grpc::Status(code, message);
  return grpc::Status(code, message, rich.SerializeAsString());
}

}  // namespace riskledger
