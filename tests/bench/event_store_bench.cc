// Append throughput of the RocksDB event store: synced writes, with 1..N
// concurrent writers sharing the sequencer's group commit.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "storage/rocksdb_event_store.h"
#include "tests/testing/temp_dir.h"

namespace riskledger {
namespace {

// One store per benchmark run, shared by its threads.
testing::TempDir* bench_dir = nullptr;
std::unique_ptr<storage::RocksDbEventStore> bench_store;

storage::AppendRequest OneEventCommand(int thread, int64_t i) {
  storage::AppendRequest request;
  request.audit.principal = "bench";
  request.audit.method = "/bench/Append";
  request.audit.request_digest = std::string(64, 'a');
  request.time = absl::Now();
  const std::string stream =
      absl::StrCat("tenants/bench/risks/T", thread, "-", i);
  request.expectations.push_back({stream, storage::kNoStream});
  request.events.push_back({stream, "RiskAnalysed", std::string(300, 'p')});
  request.projection_writes.push_back(
      {storage::ProjectionTable::kState, stream, std::string(400, 's')});
  request.idempotency_key = absl::StrCat("bench|", thread, "|", i);
  return request;
}

void BM_SyncedAppend(benchmark::State& state) {
  if (state.thread_index() == 0) {
    bench_dir = new testing::TempDir();
    bench_store =
        *storage::RocksDbEventStore::Open({bench_dir->Sub("db"), true});
  }
  int64_t i = 0;
  for (auto _ : state) {
    auto result =
        bench_store->Append(OneEventCommand(state.thread_index(), i++));
    if (!result.ok()) state.SkipWithError(result.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    bench_store.reset();
    delete bench_dir;
  }
}
BENCHMARK(BM_SyncedAppend)->ThreadRange(1, 32)->UseRealTime()->MinTime(2.0);

}  // namespace
}  // namespace riskledger

BENCHMARK_MAIN();
