// Throughput of the assessment use cases without gRPC: AnalyseRisk (the hot
// path of a scoring campaign) and ListRisks in priority order.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "services/assessment/assessment_handlers.h"
#include "services/domain/methodology.h"
#include "services/server/server.h"
#include "storage/rocksdb_event_store.h"
#include "tests/testing/await.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::assessment {
namespace {

constexpr int kMaxThreads = 32;

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<storage::Executor> pool = storage::NewThreadPoolExecutor(2);
  std::unique_ptr<storage::RocksDbEventStore> store;
  std::unique_ptr<EventRegistry> registry;
  std::unique_ptr<CommandRunner> runner;
  std::unique_ptr<AssessmentHandlers> handlers;
  std::vector<std::string> risks;  // one per thread
};
Fixture* fixture = nullptr;

CallContext Call() {
  CallContext call;
  call.audit.principal = "bench";
  call.audit.method = "/bench";
  call.audit.request_digest = std::string(64, 'd');
  call.now = absl::FromUnixSeconds(1772359200);
  return call;
}

// A valid risk on the fixture's asset, owned by alice.
v1::CreateRiskRequest RiskOnTheBenchAsset() {
  v1::CreateRiskRequest request;
  request.set_parent("tenants/bench");
  v1::Risk& risk = *request.mutable_risk();
  risk.set_asset("tenants/bench/assets/hr-db");
  risk.set_vulnerability("weak passwords");
  risk.mutable_threat()->set_actor("external attacker");
  risk.set_risk_factor("credential stuffing");
  risk.set_risk_event("account takeover");
  risk.set_loss("disclosure of salaries");
  risk.add_affected_properties(v1::SECURITY_PROPERTY_CONFIDENTIALITY);
  risk.set_owner("alice");
  risk.set_source(v1::RISK_SOURCE_INTERNAL);
  return request;
}

void SetUpFixture(int risk_count, bool synced = true) {
  fixture = new Fixture();
  storage::RocksDbEventStoreOptions options;
  options.path = fixture->dir.Sub("db");
  options.sync_writes = synced;
  options.completions = fixture->pool.get();
  fixture->store = *storage::RocksDbEventStore::Open(options);
  fixture->registry = server::BuildEventRegistry();
  fixture->runner =
      std::make_unique<CommandRunner>(*fixture->store, *fixture->registry,
                                      *fixture->pool);
  fixture->handlers = std::make_unique<AssessmentHandlers>(
      *fixture->runner, domain::DefaultMethodology(),
      PageTokenCodec(std::string(kPageTokenKeyBytes, 'b')));
  v1::CreateAssetRequest asset;
  asset.set_parent("tenants/bench");
  asset.set_asset_id("hr-db");
  asset.mutable_asset()->set_display_name("HR database");
  asset.mutable_asset()->set_owner("alice");
  (void)testing::AwaitCall(*fixture->handlers, &AssessmentHandlers::CreateAsset, Call(), asset);  // checked by CreateRisk
  for (int i = 0; i < risk_count; ++i) {
    v1::CreateRiskRequest request = RiskOnTheBenchAsset();
    request.mutable_risk()->set_owner(absl::StrCat("owner-", i % 7));
    absl::StatusOr<v1::Risk> created =
        testing::AwaitCall(*fixture->handlers, &AssessmentHandlers::CreateRisk, Call(), request);
    if (!created.ok()) std::abort();
    fixture->risks.push_back(created->name());
  }
}

void TearDownFixture() {
  delete fixture;
  fixture = nullptr;
}

void AnalyseRiskLoop(benchmark::State& state, bool synced) {
  if (state.thread_index() == 0) SetUpFixture(kMaxThreads, synced);
  v1::AnalyseRiskRequest request;
  request.set_impact_rationale("salary data of all staff");
  request.set_likelihood_rationale("two incidents at peers last year");
  int i = 0;
  // The fixture is only read inside the loop: the loop's start is the barrier
  // after which thread 0 has built it.
  for (auto _ : state) {
    request.set_name(fixture->risks[state.thread_index()]);
    request.set_impact(1 + i % 5);
    request.set_likelihood(1 + (i / 5) % 5);
    ++i;
    absl::StatusOr<v1::Risk> risk =
        testing::AwaitCall(*fixture->handlers, &AssessmentHandlers::AnalyseRisk, Call(), request);
    if (!risk.ok()) state.SkipWithError(risk.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) TearDownFixture();
}

void BM_AnalyseRisk(benchmark::State& state) { AnalyseRiskLoop(state, true); }
BENCHMARK(BM_AnalyseRisk)
    ->ThreadRange(1, kMaxThreads)
    ->UseRealTime()
    ->MinTime(2.0);

// The write path's CPU cost without waiting for the disk: what decides,
// stages and writes a command (the fsync excluded), at 1 caller and with
// more callers than cores.
void BM_AnalyseRiskUnsynced(benchmark::State& state) {
  AnalyseRiskLoop(state, false);
}
BENCHMARK(BM_AnalyseRiskUnsynced)
    ->Threads(1)
    ->Threads(8)
    ->UseRealTime()
    ->MinTime(2.0);

// Risk creation in one tenant: every create takes the next id of the
// tenant's sequence, so concurrent creates conflict and are re-decided.
void BM_CreateRiskOneTenant(benchmark::State& state) {
  if (state.thread_index() == 0) SetUpFixture(0);
  const v1::CreateRiskRequest request = RiskOnTheBenchAsset();
  for (auto _ : state) {
    absl::StatusOr<v1::Risk> created =
        testing::AwaitCall(*fixture->handlers, &AssessmentHandlers::CreateRisk, Call(), request);
    if (!created.ok()) state.SkipWithError(created.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) TearDownFixture();
}
BENCHMARK(BM_CreateRiskOneTenant)
    ->ThreadRange(1, kMaxThreads)
    ->UseRealTime()
    ->MinTime(2.0);

void BM_ListRisksByPriority(benchmark::State& state) {
  SetUpFixture(static_cast<int>(state.range(0)));
  v1::ListRisksRequest request;
  request.set_parent("tenants/bench");
  request.set_page_size(50);
  for (auto _ : state) {
    absl::StatusOr<v1::ListRisksResponse> page =
        fixture->handlers->ListRisks(request);
    if (!page.ok()) state.SkipWithError(page.status().ToString().c_str());
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(state.iterations() * 50);
  TearDownFixture();
}
BENCHMARK(BM_ListRisksByPriority)->Arg(1000);

}  // namespace
}  // namespace riskledger::assessment

BENCHMARK_MAIN();
