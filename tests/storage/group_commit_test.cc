// The pipelined group commit of RocksDbEventStore, made deterministic by a
// file system that holds (or fails) the write-ahead-log sync: appends queued
// while a group syncs share the next sync; what is sequenced is visible to
// deciding commands but not to readers until it is durable; a failed sync
// fails its group and everything sequenced on it; groups are capped in
// bytes; Head does not wait for a sync.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "storage/projector.h"
#include "storage/recent_projections.h"
#include "storage/rocksdb_event_store.h"
#include "tests/storage/event_store_test_util.h"
#include "tests/testing/faulty_file_system.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::storage {
namespace {

// An append whose outcome a test can wait for and read.
struct Outcome {
  absl::Notification sequenced;
  absl::Status sequenced_status;
  absl::Notification done;
  absl::StatusOr<AppendResult> result = absl::UnknownError("pending");

  AppendCallbacks Callbacks() {
    AppendCallbacks callbacks;
    callbacks.sequenced = [this](const absl::Status& status) {
      sequenced_status = status;
      if (!status.ok()) result = status;
      sequenced.Notify();
      if (!status.ok()) done.Notify();
    };
    callbacks.durable = [this](absl::StatusOr<AppendResult> durable) {
      result = std::move(durable);
      done.Notify();
    };
    return callbacks;
  }
};

// One event on `stream`, expected at `version`, writing "model|<stream>".
AppendRequest Counting(const std::string& stream, int64_t version) {
  AppendRequest request = MakeRequest(
      {MakeEvent(stream, "Counted", absl::StrCat("to ", version + 1))});
  request.expectations = {{stream, version}};
  request.projection_writes = {{ProjectionTable::kState,
                                absl::StrCat("model|", stream),
                                absl::StrCat(version + 1)}};
  return request;
}

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RocksDbEventStoreOptions options;
    options.path = dir_.Sub("db");
    options.file_system = file_system_;
    auto store = RocksDbEventStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  std::optional<std::string> Durable(const std::string& key) {
    return *store_->GetProjection(ProjectionTable::kState, key);
  }
  std::optional<std::string> Sequenced(const std::string& key) {
    return *store_->SequencedProjections().GetProjection(
        ProjectionTable::kState, key);
  }

  testing::TempDir dir_;
  std::shared_ptr<testing::FaultyFileSystem> file_system_ =
      std::make_shared<testing::FaultyFileSystem>();
  std::unique_ptr<RocksDbEventStore> store_;
};

TEST_F(GroupCommitTest, AppendsQueuedDuringASyncShareTheNextSync) {
  file_system_->HoldSyncs();
  Outcome first;
  store_->AppendAsync(Counting("first", 0), first.Callbacks());
  file_system_->AwaitHeldSync();
  constexpr int kFollowers = 10;
  std::vector<std::unique_ptr<Outcome>> followers;
  for (int i = 0; i < kFollowers; ++i) {
    followers.push_back(std::make_unique<Outcome>());
    store_->AppendAsync(Counting(absl::StrCat("s", i), 0),
                        followers.back()->Callbacks());
  }
  for (auto& follower : followers) follower->sequenced.WaitForNotification();
  file_system_->ReleaseSyncs();
  first.done.WaitForNotification();
  ASSERT_TRUE(first.result.ok()) << first.result.status();
  for (auto& follower : followers) {
    follower->done.WaitForNotification();
    ASSERT_TRUE(follower->result.ok()) << follower->result.status();
  }
  EXPECT_EQ(store_->synced_writes(), 2);
  EXPECT_EQ(store_->Head()->position, 1 + kFollowers);
}

TEST_F(GroupCommitTest, SequencedWritesAreVisibleToDecisionsNotToReaders) {
  file_system_->HoldSyncs();
  Outcome first;
  store_->AppendAsync(Counting("risk", 0), first.Callbacks());
  file_system_->AwaitHeldSync();
  ASSERT_TRUE(first.sequenced_status.ok());

  // A command deciding now sees the first append; a reader does not, and
  // the head is answered without waiting for the sync.
  EXPECT_EQ(Sequenced("model|risk"), "1");
  EXPECT_EQ(Durable("model|risk"), std::nullopt);
  EXPECT_EQ(store_->Head()->position, 0);
  // The next append on the stream rests on the first: the sequencer expects
  // version 1 although the database still holds version 0.
  Outcome second;
  store_->AppendAsync(Counting("risk", 1), second.Callbacks());
  second.sequenced.WaitForNotification();
  ASSERT_TRUE(second.sequenced_status.ok()) << second.sequenced_status;
  EXPECT_EQ(Sequenced("model|risk"), "2");
  EXPECT_EQ(*store_->StreamVersion("risk"), 0);

  file_system_->ReleaseSyncs();
  first.done.WaitForNotification();
  second.done.WaitForNotification();
  ASSERT_TRUE(first.result.ok()) << first.result.status();
  ASSERT_TRUE(second.result.ok()) << second.result.status();
  EXPECT_EQ(Durable("model|risk"), "2");
  EXPECT_EQ(*store_->StreamVersion("risk"), 2);
  EXPECT_EQ(store_->Head()->position, 2);
}

TEST_F(GroupCommitTest, AFailedSyncFailsEverythingSequencedOnIt) {
  file_system_->HoldSyncs();
  Outcome first;
  store_->AppendAsync(Counting("risk", 0), first.Callbacks());
  file_system_->AwaitHeldSync();
  Outcome second;
  store_->AppendAsync(Counting("risk", 1), second.Callbacks());
  second.sequenced.WaitForNotification();
  ASSERT_TRUE(second.sequenced_status.ok()) << second.sequenced_status;

  file_system_->FailSyncs(true);  // the held sync now fails
  first.done.WaitForNotification();
  second.done.WaitForNotification();
  EXPECT_EQ(first.result.status().code(), absl::StatusCode::kUnavailable)
      << first.result.status();
  EXPECT_EQ(second.result.status().code(), absl::StatusCode::kUnavailable)
      << second.result.status();
  // Nothing of either is visible, to readers or to decisions.
  EXPECT_EQ(Sequenced("model|risk"), std::nullopt);
  EXPECT_EQ(Durable("model|risk"), std::nullopt);
  EXPECT_EQ(store_->Head()->position, 0);
  EXPECT_TRUE(ReadWholeLog(*store_).empty());
}

TEST_F(GroupCommitTest, AGroupIsCappedInBytes) {
  // Three appends of 5 MiB each cannot share one 8 MiB group.
  std::vector<AppendRequest> requests;
  for (int i = 0; i < 3; ++i) {
    AppendRequest request = MakeRequest({MakeEvent(
        absl::StrCat("big-", i), "Big", std::string(size_t{5} << 20, 'x'))});
    requests.push_back(std::move(request));
  }
  for (const auto& result :
       store_->AppendGroupForTesting(std::move(requests))) {
    ASSERT_TRUE(result.ok()) << result.status();
  }
  EXPECT_GE(store_->synced_writes(), 2);
  EXPECT_EQ(store_->Head()->position, 3);
}

// Writes "rebuilt|<payload>" at model|<stream> for every event.
class RebuiltModelProjector : public Projector {
 public:
  absl::Status Apply(const EventEnvelope& event,
                     ProjectionView& view) const override {
    view.Put(ProjectionTable::kState, absl::StrCat("model|", event.stream_id),
             absl::StrCat("rebuilt|", event.payload));
    return absl::OkStatus();
  }
};

// Durable values kept for decisions (RecentProjections) must follow the
// database when it is rewritten or a later write fails.
TEST_F(GroupCommitTest, DecisionsSeeRebuiltProjectionsNotTheValuesKeptBefore) {
  Outcome outcome;
  store_->AppendAsync(Counting("risk", 0), outcome.Callbacks());
  outcome.done.WaitForNotification();
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
  ASSERT_EQ(Sequenced("model|risk"), "1");  // kept in memory

  ASSERT_TRUE(store_->RebuildProjections(RebuiltModelProjector()).ok());
  EXPECT_EQ(Durable("model|risk"), "rebuilt|to 1");
  EXPECT_EQ(Sequenced("model|risk"), "rebuilt|to 1");
}

TEST_F(GroupCommitTest, AFailedWriteLeavesDecisionsOnTheDurableValue) {
  Outcome first;
  store_->AppendAsync(Counting("risk", 0), first.Callbacks());
  first.done.WaitForNotification();
  ASSERT_TRUE(first.result.ok()) << first.result.status();
  file_system_->FailSyncs(true);
  Outcome failed;
  store_->AppendAsync(Counting("risk", 1), failed.Callbacks());
  failed.done.WaitForNotification();
  ASSERT_FALSE(failed.result.ok());
  EXPECT_EQ(Sequenced("model|risk"), "1");
  EXPECT_EQ(Durable("model|risk"), "1");
  file_system_->FailSyncs(false);
}

// With room for about one durable value, every group evicts: a decision
// reading concurrently never sees a counter go back.
TEST(RecentProjectionBudgetTest, ConcurrentDecisionsNeverReadAnOlderValue) {
  testing::TempDir dir;
  RocksDbEventStoreOptions options;
  options.path = dir.Sub("db");
  options.recent_projection_bytes = RecentProjections::kEntryOverheadBytes + 16;
  auto opened = RocksDbEventStore::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  RocksDbEventStore& store = **opened;
  constexpr int kStreams = 4;
  constexpr int64_t kAppends = 100;
  std::atomic<bool> writing{true};
  std::atomic<int> went_back{0};
  std::thread reader([&] {
    std::vector<int64_t> seen(kStreams, 0);
    while (writing.load()) {
      for (int s = 0; s < kStreams; ++s) {
        absl::StatusOr<std::optional<std::string>> value =
            store.SequencedProjections().GetProjection(
                ProjectionTable::kState, absl::StrCat("model|s", s));
        int64_t now = 0;
        if (value.ok() && value->has_value() &&
            absl::SimpleAtoi(**value, &now)) {
          if (now < seen[s]) went_back.fetch_add(1);
          seen[s] = now;
        }
      }
    }
  });
  std::vector<std::thread> writers;
  writers.reserve(kStreams);
  for (int s = 0; s < kStreams; ++s) {
    writers.emplace_back([&store, s] {
      for (int64_t version = 0; version < kAppends; ++version) {
        Outcome outcome;
        store.AppendAsync(Counting(absl::StrCat("s", s), version),
                          outcome.Callbacks());
        outcome.done.WaitForNotification();
        ASSERT_TRUE(outcome.result.ok()) << outcome.result.status();
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  writing = false;
  reader.join();
  EXPECT_EQ(went_back.load(), 0);
  for (int s = 0; s < kStreams; ++s) {
    EXPECT_EQ(*store.SequencedProjections().GetProjection(
                  ProjectionTable::kState, absl::StrCat("model|s", s)),
              absl::StrCat(kAppends));
  }
}

}  // namespace
}  // namespace riskledger::storage
