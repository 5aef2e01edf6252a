// Tests that a graceful shutdown lets an in-flight call finish and keeps its
// write, and that the server refuses new calls meanwhile.
#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "riskledger/v1/assessment_service.grpc.pb.h"
#include "services/server/server.h"
#include "storage/rocksdb_event_store.h"
#include "tests/testing/temp_dir.h"

namespace riskledger {
namespace {

// Upper bound of probe calls while waiting for shutdown to begin; each probe
// returns at once, so this only guards against a hang.
constexpr int kMaxProbes = 100000;

// A store written in the format before issue 7 (bare type names, API
// messages as payloads) is refused at start, not served half-working.
TEST(ServerStartTest, RefusesALogOfAnotherFormat) {
  testing::TempDir dir;
  {
    auto store = storage::RocksDbEventStore::Open({dir.Sub("data"), true});
    ASSERT_TRUE(store.ok()) << store.status();
    storage::AppendRequest request;
    request.events.push_back({"tenants/acme/assets/hr", "AssetCreated", ""});
    ASSERT_TRUE((*store)->Append(std::move(request)).ok());
    ASSERT_TRUE((*store)->Close().ok());
  }
  server::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.data_dir = dir.Sub("data");
  auto server = server::RiskledgerServer::Start(options);
  ASSERT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition)
      << server.status();
  EXPECT_NE(server.status().message().find("AssetCreated"), std::string::npos);
}

TEST(ServerShutdownTest, InFlightCallFinishesAndItsWriteIsKept) {
  testing::TempDir dir;
  absl::Notification call_entered;
  absl::Notification release_call;
  std::atomic<int> clock_reads{0};
  server::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.data_dir = dir.Sub("data");
  // The clock is read once when a mutating call starts: the first call blocks
  // there until the test lets it go, so it is in flight during shutdown.
  options.clock = [&] {
    if (clock_reads.fetch_add(1) == 0) {
      call_entered.Notify();
      release_call.WaitForNotification();
    }
    return absl::FromUnixSeconds(1772359200);  // 2026-03-01
  };
  auto server = server::RiskledgerServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel((*server)->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::AssessmentService::NewStub(channel);

  grpc::Status in_flight_status;
  v1::Asset created;
  std::thread in_flight([&] {
    grpc::ClientContext context;
    v1::CreateAssetRequest request;
    request.set_parent("tenants/acme");
    request.set_asset_id("hr-db");
    request.mutable_asset()->set_display_name("HR database");
    request.mutable_asset()->set_owner("alice");
    in_flight_status = stub->CreateAsset(&context, request, &created);
  });
  call_entered.WaitForNotification();

  absl::Status stopped;
  std::thread stopper(
      [&] { stopped = (*server)->Shutdown(absl::Seconds(30)); });
  // Shutdown has begun once new calls are refused.
  grpc::Status probe;
  for (int i = 0; i < kMaxProbes; ++i) {
    auto probe_stub = v1::AssessmentService::NewStub(grpc::CreateChannel(
        (*server)->address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    v1::GetMethodologyRequest request;
    request.set_name("tenants/acme/methodologies/default");
    v1::Methodology methodology;
    probe = probe_stub->GetMethodology(&context, request, &methodology);
    if (!probe.ok()) break;
  }
  EXPECT_FALSE(probe.ok()) << "new calls were still accepted during shutdown";

  release_call.Notify();
  in_flight.join();
  stopper.join();
  EXPECT_TRUE(stopped.ok()) << stopped;
  ASSERT_TRUE(in_flight_status.ok()) << in_flight_status.error_message();
  EXPECT_EQ(created.name(), "tenants/acme/assets/hr-db");

  // Storage was closed cleanly and holds the in-flight call's write.
  auto store = storage::RocksDbEventStore::Open({dir.Sub("data"), true});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(*(*store)->StreamVersion("tenants/acme/assets/hr-db"), 1);
}

}  // namespace
}  // namespace riskledger
