// The audit trail through the real server (M14): checkpoints are signed at
// start and at shutdown with the key kept in the data directory; a server
// restarted on a damaged log starts, refuses writes (FAILED_PRECONDITION,
// write health NOT_SERVING), keeps serving reads, and `--verify_log`'s check
// names the damaged position.
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "riskledger/v1/assessment_service.grpc.pb.h"
#include "riskledger/v1/audit_service.grpc.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "services/server/audit_trail.h"
#include "services/server/server.h"
#include "storage/audit/checkpoint.h"
#include "storage/audit/signed_note.h"
#include "storage/column_families.h"
#include "storage/event_codec.h"
#include "storage/rocksdb_event_store.h"
#include "tests/integration/server_fixture.h"
#include "tests/integration/valid_requests.h"
#include "tests/testing/raw_store.h"

namespace riskledger::integration {
namespace {

using ::testing::HasSubstr;
using Stub = v1::AssessmentService::Stub;

constexpr int kServing = 1;
constexpr int kNotServing = 2;

class AuditTrailTest : public ServerTest {
 protected:
  storage::RocksDbEventStore& store() {
    return dynamic_cast<storage::RocksDbEventStore&>(event_store());
  }

  // Flips one byte of the stored entry at `position` with raw RocksDB while
  // the server is stopped, the way someone with file access could.
  void FlipByteOfEntry(int64_t position) {
    riskledger::testing::EditRawStore(
        data_dir(), [&](rocksdb::DB& db,
                        std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
          rocksdb::ColumnFamilyHandle* events = handles[storage::kEventsFamily];
          const std::string key = storage::EncodeKeyU64(position);
          std::string value;
          ASSERT_TRUE(db.Get(rocksdb::ReadOptions(), events, key, &value).ok());
          value[value.size() / 2] ^= 0x20;
          ASSERT_TRUE(
              db.Put(rocksdb::WriteOptions(), events, key, value).ok());
        });
  }
};

TEST_F(AuditTrailTest, CheckpointsAreSignedAtStartAndShutdownWithTheKeptKey) {
  CreateAsset(kTenant, "first");
  Restart();  // shutdown checkpoint, then start-up verification
  const int64_t head = LogHead().position;
  std::optional<storage::StoredCheckpoint> latest =
      store().LatestCheckpoint().value();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->size, head);

  std::vector<audit::NoteVerifier> verifiers =
      server::KnownVerifiers(store(), nullptr);
  ASSERT_EQ(verifiers.size(), 1U);
  absl::StatusOr<std::string> text = audit::OpenNote(latest->note, verifiers);
  ASSERT_TRUE(text.ok()) << text.status();
  audit::Checkpoint checkpoint = audit::ParseCheckpoint(*text).value();
  EXPECT_EQ(checkpoint.origin, verifiers[0].name);
  EXPECT_EQ(checkpoint.root_hash, store().RootAt(head).value());

  struct stat info {};
  ASSERT_EQ(::stat((std::filesystem::path(data_dir()) /
                    server::kCheckpointKeyFile)
                       .c_str(),
                   &info),
            0);
  EXPECT_EQ(info.st_mode & 0777, 0600);

  // The next checkpoint extends the first, and the same key signs it.
  CreateAsset(kTenant, "second");
  storage::StoredCheckpoint next =
      server().audit_trail().checkpointer().Checkpoint(absl::Now()).value();
  EXPECT_EQ(next.size, LogHead().position);
  EXPECT_TRUE(audit::OpenNote(next.note, verifiers).ok());
}

TEST_F(AuditTrailTest, ARestartOnADamagedLogRefusesWritesAndServesReads) {
  const std::string first = CreateAsset(kTenant, "first").name();
  CreateAsset(kTenant, "second");
  const int64_t head = LogHead().position;
  StopServer();
  ASSERT_NO_FATAL_FAILURE(FlipByteOfEntry(head));
  StartServer();

  EXPECT_EQ(CheckHealth(server::kWritesHealthService).response, kNotServing);
  EXPECT_EQ(CheckHealth("").response, kServing);
  v1::CreateAssetRequest request = ValidCreateAsset();
  request.set_parent(kTenant);
  request.set_asset_id("third");
  RpcResult<v1::Asset> refused = Call(&Stub::CreateAsset, request);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << DescribeStatus(refused.status);
  EXPECT_THAT(refused.status.error_message(), HasSubstr("failed verification"));
  EXPECT_EQ(GetAsset(first).name(), first);
  EXPECT_EQ(LogHead().position, head);
  // Auditors still read, and the VerifyLog RPC names the position.
  std::unique_ptr<v1::AuditService::Stub> audit =
      v1::AuditService::NewStub(channel());
  grpc::ClientContext context;
  v1::VerifyLogResponse verification;
  ASSERT_TRUE(
      audit->VerifyLog(&context, v1::VerifyLogRequest(), &verification).ok());
  EXPECT_FALSE(verification.valid());
  EXPECT_THAT(verification.failure(),
              HasSubstr(absl::StrCat("position ", head)));

  StopServer();
  absl::StatusOr<storage::LogVerification> verified =
      server::VerifyLog(data_dir());
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kDataLoss)
      << verified.status();
  EXPECT_THAT(verified.status().message(),
              HasSubstr(absl::StrCat("position ", head)));
  StartServer();  // for TearDown
}

}  // namespace
}  // namespace riskledger::integration
