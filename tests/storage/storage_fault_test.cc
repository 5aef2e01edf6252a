// Storage faults under RocksDbEventStore, injected through a
// rocksdb::FileSystemWrapper: a failed log write or sync, or a full disk,
// fails the appends it carried with UNAVAILABLE, makes the store refuse
// appends (writing nothing) and report the fault, and the store resumes by
// itself once the fault clears. The log then holds exactly the acknowledged
// entries, before and after a restart, and its chain verifies.
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "storage/chain_verifier.h"
#include "storage/log_verifier.h"
#include "storage/rocksdb_event_store.h"
#include "tests/storage/event_store_test_util.h"
#include "tests/testing/faulty_file_system.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::storage {
namespace {

using testing::Fault;

std::string FaultName(const ::testing::TestParamInfo<Fault>& info) {
  return testing::FaultName(info.param);
}

// What the store reported through on_writability_change, in order.
class WritabilityLog {
 public:
  void Record(const absl::Status& status) {
    absl::MutexLock lock(&mu_);
    reports_.push_back(status);
  }
  // Waits until `count` reports arrived (a store that never recovers fails
  // the test after a minute instead of hanging it), then returns them.
  std::vector<absl::Status> AwaitReports(size_t count) {
    absl::MutexLock lock(&mu_);
    auto arrived = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return reports_.size() >= count;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&arrived), absl::Minutes(1))) {
      ADD_FAILURE() << "the store reported " << reports_.size()
                    << " writability changes, expected " << count;
      reports_.resize(count, absl::UnknownError("no report"));
    }
    return reports_;
  }

 private:
  absl::Mutex mu_;
  std::vector<absl::Status> reports_ ABSL_GUARDED_BY(mu_);
};

class StorageFaultTest : public ::testing::TestWithParam<Fault> {
 protected:
  void SetUp() override { Open(file_system_); }

  void Open(std::shared_ptr<rocksdb::FileSystem> file_system) {
    RocksDbEventStoreOptions options;
    options.path = dir_.Sub("db");
    options.file_system = std::move(file_system);
    options.recovery_interval = absl::Milliseconds(5);
    options.on_writability_change = [this](const absl::Status& status) {
      writability_.Record(status);
    };
    auto store = RocksDbEventStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void Inject(bool on) { file_system_->Inject(GetParam(), on); }

  // Closes the store and opens its directory again, on a healthy disk.
  void Reopen() {
    ASSERT_TRUE(store_->Close().ok());
    store_.reset();
    Open(nullptr);
  }

  absl::StatusOr<AppendResult> AppendOne(const std::string& stream) {
    return store_->Append(
        MakeRequest({MakeEvent(stream, "Noted", absl::StrCat("on ", stream))}));
  }

  testing::TempDir dir_;
  std::shared_ptr<testing::FaultyFileSystem> file_system_ =
      std::make_shared<testing::FaultyFileSystem>();
  WritabilityLog writability_;
  std::unique_ptr<RocksDbEventStore> store_;
};

// A full disk may last minutes: recovery attempts made while the fault lasts
// (which fail, or succeed only for the next write to fail again) must not
// stop the store from resuming once it clears.
TEST_P(StorageFaultTest, AFaultThatOutlastsRecoveryAttemptsStillClears) {
  ASSERT_TRUE(AppendOne("before").ok());
  Inject(true);
  for (int round = 0; round < 3; ++round) {
    const int64_t attempts = store_->recovery_attempts();
    absl::StatusOr<AppendResult> failed = AppendOne("failed");
    EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable)
        << failed.status();
    const absl::Time give_up = absl::Now() + absl::Seconds(60);
    while (store_->recovery_attempts() == attempts && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    ASSERT_GT(store_->recovery_attempts(), attempts) << "round " << round;
  }

  Inject(false);
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (!store_->write_fault().ok() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  ASSERT_TRUE(store_->write_fault().ok()) << store_->write_fault();
  absl::StatusOr<AppendResult> after = AppendOne("after");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->first_position, 2);

  store_.reset();
  Open(std::make_shared<testing::FaultyFileSystem>());
  std::vector<EventEnvelope> log = ReadWholeLog(*store_);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].stream_id, "before");
  EXPECT_EQ(log[1].stream_id, "after");
}

TEST_P(StorageFaultTest, AFaultIsUnavailableAndTheStoreResumesWhenItClears) {
  ASSERT_TRUE(AppendOne("before").ok());

  Inject(true);
  absl::StatusOr<AppendResult> failed = AppendOne("failed");
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable)
      << failed.status();
  std::vector<absl::Status> reports = writability_.AwaitReports(1);
  EXPECT_FALSE(reports[0].ok());
  EXPECT_FALSE(store_->write_fault().ok());

  // While the store is faulty it refuses appends without writing.
  const int64_t writes = store_->synced_writes();
  absl::StatusOr<AppendResult> refused = AppendOne("refused");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(refused.status().message().find("refusing writes"),
            std::string::npos)
      << refused.status();
  EXPECT_EQ(store_->synced_writes(), writes);
  EXPECT_EQ(store_->Head()->position, 1);

  Inject(false);
  reports = writability_.AwaitReports(2);
  EXPECT_TRUE(reports[1].ok()) << reports[1];
  EXPECT_TRUE(store_->write_fault().ok());
  absl::StatusOr<AppendResult> after = AppendOne("after");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->first_position, 2);

  // Exactly the acknowledged entries, also after a restart: the batch that
  // failed is not replayed from the log file it may have reached.
  auto expect_acknowledged_log = [this] {
    std::vector<EventEnvelope> log = ReadWholeLog(*store_);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].stream_id, "before");
    EXPECT_EQ(log[1].stream_id, "after");
    absl::StatusOr<ChainHead> verified = VerifyChain(*store_);
    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_EQ(verified->position, 2);
  };
  expect_acknowledged_log();
  ASSERT_NO_FATAL_FAILURE(Reopen());
  expect_acknowledged_log();
}

TEST_P(StorageFaultTest, AppendsSequencedOnAFailedGroupFailWithIt) {
  file_system_->HoldSyncs();
  absl::Notification first_done;
  absl::StatusOr<AppendResult> first = absl::UnknownError("pending");
  AppendCallbacks callbacks;
  callbacks.sequenced = [](const absl::Status&) {};
  callbacks.durable = [&](absl::StatusOr<AppendResult> result) {
    first = std::move(result);
    first_done.Notify();
  };
  store_->AppendAsync(
      MakeRequest({MakeEvent("held", "Noted", "held")}), std::move(callbacks));
  file_system_->AwaitHeldSync();
  Inject(true);
  file_system_->FailSyncs(true);  // the held sync fails whatever the fault
  first_done.WaitForNotification();
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable);
  file_system_->ReleaseSyncs();
  file_system_->FailSyncs(false);
  Inject(false);
  std::vector<absl::Status> reports = writability_.AwaitReports(2);
  EXPECT_TRUE(reports[1].ok());
  ASSERT_TRUE(AppendOne("after").ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  std::vector<EventEnvelope> log = ReadWholeLog(*store_);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].stream_id, "after");
}

TEST_P(StorageFaultTest, TheFirstWriteOfAFreshStoreCanFailAndRecover) {
  // Nothing logged yet: the failed write is the first in its log file.
  Inject(true);
  EXPECT_EQ(AppendOne("failed").status().code(),
            absl::StatusCode::kUnavailable);
  Inject(false);
  std::vector<absl::Status> reports = writability_.AwaitReports(2);
  EXPECT_TRUE(reports[1].ok()) << reports[1];
  ASSERT_TRUE(AppendOne("after").ok());
  ASSERT_TRUE(AppendOne("after again").ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  std::vector<EventEnvelope> log = ReadWholeLog(*store_);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].stream_id, "after");
  EXPECT_TRUE(VerifyChain(*store_).ok());
}

TEST_P(StorageFaultTest, UnderConcurrentWritersTheLogHoldsExactlyTheAcknowledged) {
  constexpr int kWriters = 4;
  constexpr size_t kFaults = 3;
  constexpr int kAnswersBetweenFaults = 100;
  absl::Mutex mu;
  std::set<std::string> acknowledged;
  int answered = 0;
  bool stop = false;
  std::vector<std::thread> writers;
  writers.reserve(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0;; ++i) {
        const std::string stream = absl::StrCat("w", w, "-", i);
        const bool ok = AppendOne(stream).ok();
        absl::MutexLock lock(&mu);
        ++answered;
        if (ok) acknowledged.insert(stream);
        if (stop) return;
      }
    });
  }
  // Faults come at points given by progress, not by time, while the
  // writers keep appending.
  auto await_progress = [&] {
    absl::MutexLock lock(&mu);
    const int target = answered + kAnswersBetweenFaults;
    auto reached = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      return answered >= target;
    };
    mu.Await(absl::Condition(&reached));
  };
  for (size_t fault = 1; fault <= kFaults; ++fault) {
    await_progress();
    Inject(true);
    writability_.AwaitReports(2 * fault - 1);
    Inject(false);
    writability_.AwaitReports(2 * fault);
  }
  await_progress();
  {
    absl::MutexLock lock(&mu);
    stop = true;
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_LT(acknowledged.size(), static_cast<size_t>(answered));
  EXPECT_GT(acknowledged.size(), 0u);
  // The tree the writer kept across the failed groups (M14).
  const TreeHead served = store_->DurableTree();

  ASSERT_NO_FATAL_FAILURE(Reopen());
  std::vector<EventEnvelope> log = ReadWholeLog(*store_);
  std::set<std::string> logged;
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].position, static_cast<int64_t>(i) + 1);
    logged.insert(log[i].stream_id);
  }
  EXPECT_EQ(logged, acknowledged);
  EXPECT_EQ(log.size(), acknowledged.size());
  EXPECT_TRUE(VerifyChain(*store_).ok());
  // Nothing of a failed group reached the stored tree either, and the tree
  // served before the restart is the one its entries make.
  absl::StatusOr<LogVerification> verified = VerifyLog(*store_, {});
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->tree.root, served.root);
}

INSTANTIATE_TEST_SUITE_P(Faults, StorageFaultTest,
                         ::testing::Values(Fault::kWriteError,
                                           Fault::kSyncError,
                                           Fault::kDiskFull),
                         FaultName);

}  // namespace
}  // namespace riskledger::storage
