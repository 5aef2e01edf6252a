// A server with AuditService for evidence tests: exports a bundle (or its
// call status), the server's current key, a two-tenant lifecycle, and the
// offline verification of a bundle.
#ifndef RISKLEDGER_TESTS_INTEGRATION_EVIDENCE_FIXTURE_H_
#define RISKLEDGER_TESTS_INTEGRATION_EVIDENCE_FIXTURE_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "clients/verify/evidence_verifier.h"
#include "riskledger/v1/audit_service.grpc.pb.h"
#include "tests/integration/server_fixture.h"

namespace riskledger::integration {

using Records = std::vector<v1::EvidenceRecord>;

class EvidenceTest : public ServerTest {
 protected:
  EvidenceTest() { set_sync_writes(false); }

  // The AuditService stub of the running server (a new one after a
  // restart, which listens on another port).
  v1::AuditService::Stub& audit() {
    if (audit_channel_ != channel()) {
      audit_channel_ = channel();
      audit_ = v1::AuditService::NewStub(audit_channel_);
    }
    return *audit_;
  }

  // The records of an export, or the call's status.
  RpcResult<Records> Export(const v1::ExportEvidenceRequest& request) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    std::unique_ptr<grpc::ClientReader<v1::EvidenceRecord>> reader =
        audit().ExportEvidence(&context, request);
    RpcResult<Records> result;
    v1::EvidenceRecord record;
    while (reader->Read(&record)) result.response.push_back(record);
    result.status = reader->Finish();
    return result;
  }

  Records MustExport(const v1::ExportEvidenceRequest& request) {
    RpcResult<Records> result = Export(request);
    EXPECT_TRUE(result.ok()) << DescribeStatus(result.status);
    return result.response;
  }

  static v1::ExportEvidenceRequest Tenant(const std::string& tenant) {
    v1::ExportEvidenceRequest request;
    request.set_parent(tenant);
    return request;
  }

  std::string CurrentKey() {
    grpc::ClientContext context;
    v1::ListVerifierKeysResponse keys;
    EXPECT_TRUE(audit()
                    .ListVerifierKeys(&context, v1::ListVerifierKeysRequest(),
                                       &keys)
                    .ok());
    return keys.keys(0).verifier_key();
  }

  // Two tenants, interleaved: assets, an impact analysis, risks analysed.
  void Lifecycle() {
    for (const char* tenant : {kTenant, kOtherTenant}) {
      const std::string asset = CreateAsset(tenant, "payroll").name();
      RecordImpactAnalysis(asset, CategoryScores(4));
      const std::string risk = CreateRisk(tenant, ValidRisk(asset)).name();
      AnalyseRisk(risk, 3, 2);
    }
    AnalyseRisk(RiskName(kTenant, "R-2026-0001"), 4, 5);
    CreateRisk(kTenant, ValidRisk(AssetName(kTenant, "payroll")));
  }

  std::shared_ptr<grpc::Channel> audit_channel_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
};

inline absl::Status Verify(const Records& records,
                           std::vector<std::string> keys = {}) {
  verify::VerifyOptions options;
  options.trusted_keys = std::move(keys);
  return verify::VerifyBundle(records, options).status();
}

}  // namespace riskledger::integration

#endif  // RISKLEDGER_TESTS_INTEGRATION_EVIDENCE_FIXTURE_H_
