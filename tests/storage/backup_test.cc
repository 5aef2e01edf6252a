// Online backup and verified restore of RocksDbEventStore: a backup taken
// while a writer appends restores into a new directory whose log verifies and
// equals the source up to the backup point; restores refuse a non-empty
// target and an unknown backup; a damaged backup is refused.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/backup.h"
#include "storage/chain_verifier.h"
#include "storage/rocksdb_event_store.h"
#include "tests/storage/event_store_test_util.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::storage {
namespace {

std::unique_ptr<RocksDbEventStore> OpenAt(const std::string& path) {
  RocksDbEventStoreOptions options;
  options.path = path;
  auto store = RocksDbEventStore::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenAt(dir_.Sub("db"));
    ASSERT_NE(store_, nullptr);
  }

  void AppendEntries(int count, const std::string& prefix) {
    for (int i = 0; i < count; ++i) {
      ASSERT_TRUE(store_
                      ->Append(MakeRequest({MakeEvent(
                          absl::StrCat(prefix, i), "Noted", "payload")}))
                      .ok());
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<RocksDbEventStore> store_;
};

TEST_F(BackupTest, ABackupTakenDuringWritesRestoresToAVerifiedPrefix) {
  AppendEntries(200, "before-");
  std::atomic<bool> stop{false};
  std::atomic<int> written_during{0};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      if (store_->Append(MakeRequest({MakeEvent(absl::StrCat("during-", i),
                                                "Noted", "payload")}))
              .ok()) {
        ++written_during;
      }
    }
  });
  // Let the writer get going before the backup (progress, not time).
  while (written_during < 20) std::this_thread::yield();
  absl::StatusOr<BackupSummary> backup =
      CreateVerifiedBackup(*store_, dir_.Sub("backups"));
  const int during_at_backup = written_during;
  stop = true;
  writer.join();
  ASSERT_TRUE(backup.ok()) << backup.status();
  EXPECT_GE(backup->head.position, 200 + 20);
  // (+1: an append may be durable before its writer counted it.)
  EXPECT_LE(backup->head.position, 200 + during_at_backup + 1);
  EXPECT_GT(backup->size_bytes, 0);

  absl::StatusOr<ChainHead> restored_head =
      RestoreBackup(dir_.Sub("backups"), backup->id, dir_.Sub("restored"));
  ASSERT_TRUE(restored_head.ok()) << restored_head.status();
  EXPECT_EQ(restored_head->position, backup->head.position);
  EXPECT_EQ(restored_head->hash, backup->head.hash);

  std::unique_ptr<RocksDbEventStore> restored = OpenAt(dir_.Sub("restored"));
  ASSERT_NE(restored, nullptr);
  std::vector<EventEnvelope> copy = ReadWholeLog(*restored);
  std::vector<EventEnvelope> source = ReadWholeLog(*store_);
  ASSERT_EQ(copy.size(), static_cast<size_t>(backup->head.position));
  ASSERT_GE(source.size(), copy.size());
  for (size_t i = 0; i < copy.size(); ++i) {
    ASSERT_EQ(Describe(copy[i]), Describe(source[i])) << "position " << i + 1;
    ASSERT_EQ(copy[i].hash, source[i].hash) << "position " << i + 1;
  }
  ASSERT_TRUE(VerifyChain(*restored).ok());
  // The other column families are cut at the same point as the log: the
  // stream index knows exactly the streams of the restored entries.
  for (size_t i = 0; i < source.size(); ++i) {
    ASSERT_EQ(VersionOf(*restored, source[i].stream_id),
              i < copy.size() ? 1 : 0)
        << source[i].stream_id;
  }
  // The restored store takes new writes after its head.
  absl::StatusOr<AppendResult> next = restored->Append(
      MakeRequest({MakeEvent("after-restore", "Noted", "payload")}));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->first_position, backup->head.position + 1);
}

TEST_F(BackupTest, RestoreRefusesANonEmptyTargetAndAnUnknownBackup) {
  AppendEntries(3, "e-");
  absl::StatusOr<BackupSummary> backup =
      CreateVerifiedBackup(*store_, dir_.Sub("backups"));
  ASSERT_TRUE(backup.ok()) << backup.status();
  EXPECT_EQ(backup->head.position, 3);

  std::filesystem::create_directories(dir_.Sub("occupied"));
  std::ofstream(dir_.Sub("occupied") + "/file") << "x";
  EXPECT_EQ(RestoreBackup(dir_.Sub("backups"), backup->id, dir_.Sub("occupied"))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RestoreBackup(dir_.Sub("backups"), backup->id + 7,
                          dir_.Sub("unknown"))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(RestoreBackup(dir_.Sub("no-such-backups"), 0, dir_.Sub("none"))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  // 0 restores the latest.
  AppendEntries(2, "f-");
  absl::StatusOr<BackupSummary> later =
      CreateVerifiedBackup(*store_, dir_.Sub("backups"));
  ASSERT_TRUE(later.ok()) << later.status();
  absl::StatusOr<ChainHead> latest =
      RestoreBackup(dir_.Sub("backups"), 0, dir_.Sub("latest"));
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(latest->position, 5);
}

TEST_F(BackupTest, ADamagedBackupIsRefused) {
  AppendEntries(50, "e-");
  absl::StatusOr<BackupSummary> backup =
      CreateVerifiedBackup(*store_, dir_.Sub("backups"));
  ASSERT_TRUE(backup.ok()) << backup.status();
  // Flip a byte in the middle of every table file of the backup.
  int damaged = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir_.Sub("backups"))) {
    if (entry.path().extension() != ".sst") continue;
    std::fstream file(entry.path(),
                      std::ios::in | std::ios::out | std::ios::binary);
    const auto middle = static_cast<std::streamoff>(entry.file_size() / 2);
    file.seekg(middle);
    char byte = 0;
    file.get(byte);
    file.seekp(middle);
    file.put(static_cast<char>(byte ^ 0x5a));
    ++damaged;
  }
  ASSERT_GT(damaged, 0);
  absl::StatusOr<ChainHead> restored =
      RestoreBackup(dir_.Sub("backups"), backup->id, dir_.Sub("restored"));
  EXPECT_FALSE(restored.ok());
  EXPECT_EQ(restored.status().code(), absl::StatusCode::kDataLoss)
      << restored.status();
}

}  // namespace
}  // namespace riskledger::storage
