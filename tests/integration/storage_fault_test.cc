// Storage faults through gRPC: with the log's writes or syncs failing, or the
// disk full (a FaultyFileSystem under the real server's store), mutations fail
// with UNAVAILABLE and write nothing, reads go on, health reports the write
// path NOT_SERVING, and once the fault clears the server accepts writes again
// by itself; a retried request is then written once and the log verifies.
#include <memory>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "riskledger/v1/assessment_service.grpc.pb.h"
#include "services/server/server.h"
#include "storage/chain_verifier.h"
#include "tests/integration/server_fixture.h"
#include "tests/integration/valid_requests.h"
#include "tests/testing/faulty_file_system.h"

namespace riskledger::integration {
namespace {

using Stub = v1::AssessmentService::Stub;

constexpr int kServing = 1;
constexpr int kNotServing = 2;

using testing::Fault;

class StorageFaultTest : public ServerTest,
                         public ::testing::WithParamInterface<Fault> {
 protected:
  StorageFaultTest() {
    set_file_system(file_system_);
    set_storage_recovery_interval(absl::Milliseconds(10));
  }

  void Inject(bool on) { file_system_->Inject(GetParam(), on); }

  // Polls the write path's health until it is `status` (the store resumes
  // on its own schedule); fails the test after a minute.
  void AwaitWriteHealth(int status) {
    for (int i = 0; i < 6000; ++i) {
      if (CheckHealth(server::kWritesHealthService).response == status) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "write health never became " << status;
  }

  v1::CreateAssetRequest CreateAssetRequest(const std::string& asset_id,
                                            const std::string& request_id) {
    v1::CreateAssetRequest request = ValidCreateAsset();
    request.set_parent(kTenant);
    request.set_asset_id(asset_id);
    request.set_request_id(request_id);
    return request;
  }

  std::shared_ptr<riskledger::testing::FaultyFileSystem> file_system_ =
      std::make_shared<riskledger::testing::FaultyFileSystem>();
};

TEST_P(StorageFaultTest, WritesFailUnavailableReadsGoOnAndTheServerRecovers) {
  const std::string before = CreateAsset(kTenant, "before").name();
  EXPECT_EQ(CheckHealth(server::kWritesHealthService).response, kServing);
  const storage::ChainHead head = LogHead();

  Inject(true);
  const v1::CreateAssetRequest failing = CreateAssetRequest("failing", "r-1");
  RpcResult<v1::Asset> failed = Call(&Stub::CreateAsset, failing);
  EXPECT_EQ(failed.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << DescribeStatus(failed.status);
  // The store reports the fault before it answers the failed write.
  EXPECT_EQ(CheckHealth(server::kWritesHealthService).response, kNotServing);
  EXPECT_EQ(CheckHealth("").response, kServing);
  EXPECT_EQ(CheckHealth(kServiceName).response, kServing);

  // Refused, not written; reads are served.
  RpcResult<v1::Asset> refused =
      Call(&Stub::CreateAsset, CreateAssetRequest("refused", "r-2"));
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << DescribeStatus(refused.status);
  EXPECT_NE(refused.status.error_message().find("refusing writes"),
            std::string::npos)
      << refused.status.error_message();
  EXPECT_EQ(LogHead().position, head.position);
  EXPECT_EQ(GetAsset(before).name(), before);
  EXPECT_EQ(ListAllAssets(kTenant).size(), 1u);

  Inject(false);
  AwaitWriteHealth(kServing);
  // The retried request is written once.
  v1::Asset created = Must(&Stub::CreateAsset, failing);
  v1::Asset retried = Must(&Stub::CreateAsset, failing);
  EXPECT_EQ(created.name(), retried.name());
  EXPECT_EQ(LogHead().position, head.position + 1);
  EXPECT_EQ(ListAllAssets(kTenant).size(), 2u);
  absl::StatusOr<storage::ChainHead> verified =
      storage::VerifyChain(event_store());
  ASSERT_TRUE(verified.ok()) << verified.status();

  // And so it stays after a restart.
  Restart();
  EXPECT_EQ(LogHead().position, head.position + 1);
  EXPECT_EQ(ListAllAssets(kTenant).size(), 2u);
  EXPECT_EQ(CheckHealth(server::kWritesHealthService).response, kServing);
}

INSTANTIATE_TEST_SUITE_P(Faults, StorageFaultTest,
                         ::testing::Values(Fault::kWriteError,
                                           Fault::kSyncError,
                                           Fault::kDiskFull),
                         [](const ::testing::TestParamInfo<Fault>& info) {
                           return std::string(testing::FaultName(info.param));
                         });

}  // namespace
}  // namespace riskledger::integration
