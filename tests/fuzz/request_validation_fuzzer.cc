// Fuzzes request validation of every AssessmentService method, end to end
// below gRPC: the first input byte picks the method, the rest is decoded as
// its request (unknown fields discarded, as the server's interceptor does)
// and handled against a real RocksDB store holding one asset and one
// analysed risk. Properties: no crash, no exception, no INTERNAL, UNKNOWN or
// DATA_LOSS, and every error fits the documented bounds once converted for
// the wire. The store is shared by all inputs and keeps what successful
// commands wrote (as a server would); a finding that depends on that state
// reproduces by running the corpus directory before the crash input.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/assessment/assessment_handlers.h"
#include "tests/testing/await.h"
#include "services/base/status_details.h"
#include "services/common/audit_context.h"
#include "services/common/grpc_status.h"
#include "services/domain/methodology.h"
#include "services/server/server.h"
#include "storage/rocksdb_event_store.h"

namespace riskledger {
namespace {

using assessment::AssessmentHandlers;
using assessment::CallContext;

struct World {
  std::string dir;
  std::unique_ptr<storage::Executor> pool = storage::NewThreadPoolExecutor(2);
  std::unique_ptr<storage::RocksDbEventStore> store;
  std::unique_ptr<EventRegistry> registry;
  std::unique_ptr<CommandRunner> runner;
  std::unique_ptr<AssessmentHandlers> handlers;
};

CallContext Call() {
  CallContext call;
  call.audit.principal = "fuzz";
  call.audit.method = "/fuzz";
  call.audit.request_digest = "digest";
  call.now = absl::FromUnixSeconds(1772359200);  // 2026-03-01
  return call;
}

World* MakeWorld() {
  auto* world = new World();
  char pattern[] = "/tmp/riskledger-fuzz-XXXXXX";
  if (mkdtemp(pattern) == nullptr) std::abort();
  world->dir = pattern;
  static std::string* dir_to_remove = new std::string(world->dir);
  std::atexit([] { std::filesystem::remove_all(*dir_to_remove); });
  storage::RocksDbEventStoreOptions options;
  options.path = world->dir + "/db";
  options.sync_writes = false;
  options.completions = world->pool.get();
  auto store = storage::RocksDbEventStore::Open(options);
  if (!store.ok()) std::abort();
  world->store = std::move(*store);
  world->registry = server::BuildEventRegistry();
  world->runner =
      std::make_unique<CommandRunner>(*world->store, *world->registry,
                                      *world->pool);
  world->handlers = std::make_unique<AssessmentHandlers>(
      *world->runner, domain::DefaultMethodology(),
      PageTokenCodec(std::string(kPageTokenKeyBytes, 'k')));
  v1::CreateAssetRequest asset;
  asset.set_parent("tenants/acme");
  asset.set_asset_id("payroll");
  asset.mutable_asset()->set_display_name("Payroll");
  asset.mutable_asset()->set_owner("alice");
  asset.mutable_asset()->add_components()->set_name("database");
  if (!testing::AwaitCall(*world->handlers, &AssessmentHandlers::CreateAsset,
                          Call(), asset)
           .ok()) {
    std::abort();
  }
  v1::CreateRiskRequest risk;
  risk.set_parent("tenants/acme");
  v1::Risk& r = *risk.mutable_risk();
  r.set_asset("tenants/acme/assets/payroll");
  r.set_component("database");
  r.set_vulnerability("weak passwords");
  r.mutable_threat()->set_actor("outsider");
  r.set_risk_factor("f");
  r.set_risk_event("e");
  r.set_loss("l");
  r.add_affected_properties(v1::SECURITY_PROPERTY_CONFIDENTIALITY);
  r.set_owner("alice");
  r.set_source(v1::RISK_SOURCE_INTERNAL);
  if (!testing::AwaitCall(*world->handlers, &AssessmentHandlers::CreateRisk,
                          Call(), risk)
           .ok()) {
    std::abort();
  }
  return world;
}

// The call of a mutation: its request_id and digest as the adapter sets
// them, so that idempotent retries are fuzzed too.
template <typename Request>
CallContext CallFor(const Request& request) {
  CallContext call = Call();
  call.audit.request_id = request.request_id();
  call.audit.request_digest = RequestDigest("/fuzz", request);
  return call;
}

void CheckOutcome(const absl::Status& status) {
  if (status.ok()) return;
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss:
      std::abort();
    default:
      break;
  }
  grpc::Status wire = ToGrpcStatus(status);
  if (wire.error_message().size() > kMaxErrorMessageBytes ||
      wire.error_details().size() > 3300) {
    std::abort();
  }
}

// Decodes `bytes` as a Request and runs `handle` on it.
template <typename Request, typename Handle>
void Run(const std::string& bytes, Handle handle) {
  Request request;
  if (!request.ParseFromString(bytes)) return;
  request.DiscardUnknownFields();
  CheckOutcome(handle(request).status());
}

}  // namespace
}  // namespace riskledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;  // NOLINT(google-build-using-namespace)
  static World* const world = MakeWorld();
  if (size == 0) return 0;
  const AssessmentHandlers& h = *world->handlers;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 15) {
    case 0:
      Run<v1::GetMethodologyRequest>(
          bytes, [&](const auto& r) { return h.GetMethodology(r); });
      break;
    case 1:
      Run<v1::CreateAssetRequest>(
          bytes, [&](const auto& r) { return testing::AwaitCall(h, &AssessmentHandlers::CreateAsset, CallFor(r), r); });
      break;
    case 2:
      Run<v1::GetAssetRequest>(bytes,
                               [&](const auto& r) { return h.GetAsset(r); });
      break;
    case 3:
      Run<v1::ListAssetsRequest>(
          bytes, [&](const auto& r) { return h.ListAssets(r); });
      break;
    case 4:
      Run<v1::UpdateAssetRequest>(
          bytes, [&](const auto& r) { return testing::AwaitCall(h, &AssessmentHandlers::UpdateAsset, CallFor(r), r); });
      break;
    case 5:
      Run<v1::RecordImpactAnalysisRequest>(bytes, [&](const auto& r) {
        return testing::AwaitCall(h, &AssessmentHandlers::RecordImpactAnalysis, CallFor(r), r);
      });
      break;
    case 6:
      Run<v1::GetImpactAnalysisRequest>(
          bytes, [&](const auto& r) { return h.GetImpactAnalysis(r); });
      break;
    case 7:
      Run<v1::ListImpactAnalysesRequest>(
          bytes, [&](const auto& r) { return h.ListImpactAnalyses(r); });
      break;
    case 8:
      Run<v1::CreateRiskRequest>(
          bytes, [&](const auto& r) { return testing::AwaitCall(h, &AssessmentHandlers::CreateRisk, CallFor(r), r); });
      break;
    case 9:
      Run<v1::GetRiskRequest>(bytes,
                              [&](const auto& r) { return h.GetRisk(r); });
      break;
    case 10:
      Run<v1::ListRisksRequest>(bytes,
                                [&](const auto& r) { return h.ListRisks(r); });
      break;
    case 11:
      Run<v1::UpdateRiskRequest>(
          bytes, [&](const auto& r) { return testing::AwaitCall(h, &AssessmentHandlers::UpdateRisk, CallFor(r), r); });
      break;
    case 12:
      Run<v1::AnalyseRiskRequest>(
          bytes, [&](const auto& r) { return testing::AwaitCall(h, &AssessmentHandlers::AnalyseRisk, CallFor(r), r); });
      break;
    case 13:
      Run<v1::AdjustRiskLevelRequest>(bytes, [&](const auto& r) {
        return testing::AwaitCall(h, &AssessmentHandlers::AdjustRiskLevel, CallFor(r), r);
      });
      break;
    default:
      Run<v1::ListScoreHistoryRequest>(
          bytes, [&](const auto& r) { return h.ListScoreHistory(r); });
      break;
  }
  return 0;
}
