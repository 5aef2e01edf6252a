// AdminService.CreateBackup through gRPC while other callers keep writing: the
// backup restores into a new data directory whose log verifies and equals the
// server's log up to the reported position, and a server started on it
// serves that state. Without --backup_dir the call is FAILED_PRECONDITION.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "riskledger/v1/admin_service.grpc.pb.h"
#include "services/server/server.h"
#include "storage/backup.h"
#include "storage/chain_verifier.h"
#include "storage/event_codec.h"
#include "storage/rocksdb_event_store.h"
#include "tests/integration/server_fixture.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::integration {
namespace {

class BackupTest : public ServerTest {
 protected:
  BackupTest() { set_backup_dir(backups_.Sub("backups")); }

  RpcResult<v1::Backup> CreateBackup() {
    auto admin = v1::AdminService::NewStub(channel());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    RpcResult<v1::Backup> result;
    result.status = admin->CreateBackup(&context, v1::CreateBackupRequest(),
                                        &result.response);
    return result;
  }

  riskledger::testing::TempDir backups_;
};

TEST_F(BackupTest, ABackupDuringWritesRestoresToTheReportedPoint) {
  for (int i = 0; i < 20; ++i) CreateAsset(kTenant, absl::StrCat("a", i));
  std::atomic<bool> stop{false};
  std::atomic<int> created{0};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      v1::CreateAssetRequest request;
      request.set_parent(kTenant);
      request.set_asset_id(absl::StrCat("during-", i));
      *request.mutable_asset() = ValidAsset();
      if (Call(&v1::AssessmentService::Stub::CreateAsset, request).ok()) {
        ++created;
      }
    }
  });
  while (created < 5) std::this_thread::yield();
  RpcResult<v1::Backup> backup = CreateBackup();
  stop = true;
  writer.join();
  ASSERT_TRUE(backup.ok()) << DescribeStatus(backup.status);
  EXPECT_EQ(backup.response.name(),
            absl::StrCat("backups/", backup.response.backup_id()));
  EXPECT_GE(backup.response.log_position(), 25);
  EXPECT_GT(backup.response.size_bytes(), 0);

  // The server's log has the reported entry at the reported position.
  absl::StatusOr<std::vector<storage::EventEnvelope>> at =
      event_store().ReadAll(backup.response.log_position(), 1);
  ASSERT_TRUE(at.ok() && at->size() == 1);
  EXPECT_EQ(storage::ToHex((*at)[0].hash), backup.response.log_entry_hash());

  const std::string restored_dir = backups_.Sub("restored");
  absl::StatusOr<storage::ChainHead> restored = storage::RestoreBackup(
      backups_.Sub("backups"), backup.response.backup_id(), restored_dir);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->position, backup.response.log_position());
  EXPECT_EQ(storage::ToHex(restored->hash), backup.response.log_entry_hash());

  // A server on the restored directory serves exactly the backed-up assets:
  // one per CreateAsset entry in the restored log.
  storage::RocksDbEventStoreOptions options;
  options.path = restored_dir;
  options.create_if_missing = false;
  auto copy = storage::RocksDbEventStore::Open(options);
  ASSERT_TRUE(copy.ok()) << copy.status();
  absl::StatusOr<std::vector<storage::EventEnvelope>> log =
      (*copy)->ReadAll(1, static_cast<size_t>(restored->position) + 1);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), static_cast<size_t>(restored->position));
  ASSERT_TRUE((*copy)->Close().ok());
  copy->reset();

  server::ServerOptions restored_server;
  restored_server.listen_address = "127.0.0.1:0";
  restored_server.data_dir = restored_dir;
  auto started = server::RiskledgerServer::Start(restored_server);
  ASSERT_TRUE(started.ok()) << started.status();
  auto channel = grpc::CreateChannel((*started)->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::AssessmentService::NewStub(channel);
  size_t assets = 0;
  std::string page_token;
  do {
    grpc::ClientContext context;
    v1::ListAssetsRequest request;
    request.set_parent(kTenant);
    request.set_page_size(100);
    request.set_page_token(page_token);
    v1::ListAssetsResponse response;
    ASSERT_TRUE(stub->ListAssets(&context, request, &response).ok());
    assets += static_cast<size_t>(response.assets_size());
    page_token = response.next_page_token();
  } while (!page_token.empty());
  EXPECT_EQ(assets, static_cast<size_t>(restored->position));
  EXPECT_GE(ListAllAssets(kTenant).size(), assets);
  ASSERT_TRUE((*started)->Shutdown(absl::Seconds(5)).ok());
}

class NoBackupDirTest : public ServerTest {};

TEST_F(NoBackupDirTest, CreateBackupIsFailedPrecondition) {
  auto admin = v1::AdminService::NewStub(channel());
  grpc::ClientContext context;
  v1::Backup backup;
  grpc::Status status =
      admin->CreateBackup(&context, v1::CreateBackupRequest(), &backup);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("--backup_dir"), std::string::npos);
}

}  // namespace
}  // namespace riskledger::integration
