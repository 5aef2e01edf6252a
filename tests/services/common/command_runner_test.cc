// Tests of the decide → project → append loop on a real RocksDB store, with a
// registry holding one real aggregate (the risk-id sequence) and a counting
// read model.
#include "services/common/command_runner.h"

#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/base/status_details.h"
#include "services/domain/risk_id_sequence.h"
#include "storage/rocksdb_event_store.h"
#include "tests/testing/await.h"
#include "tests/testing/faulty_file_system.h"
#include "tests/testing/temp_dir.h"

namespace riskledger {
namespace {

using storage::ProjectionTable;

// Keeps "count|<stream>" = number of events of the stream.
class CountingProjector : public ReadModelProjector {
 public:
  absl::Status Apply(const storage::EventEnvelope& event,
                     const google::protobuf::Message& /*payload*/,
                     storage::ProjectionView& view) const override {
    view.Put(ProjectionTable::kState, absl::StrCat("count|", event.stream_id),
             absl::StrCat(event.stream_version));
    return absl::OkStatus();
  }
};

// Keeps "time|<stream>" = the time of the stream's last event, in ns.
class TimeProjector : public ReadModelProjector {
 public:
  absl::Status Apply(const storage::EventEnvelope& event,
                     const google::protobuf::Message& /*payload*/,
                     storage::ProjectionView& view) const override {
    view.Put(ProjectionTable::kState, absl::StrCat("time|", event.stream_id),
             absl::StrCat(absl::ToUnixNanos(event.time)));
    return absl::OkStatus();
  }
};

// Keeps "total" = number of events of every stream: one read model fed by
// many streams, whose commands expect only their own stream.
class TotalProjector : public ReadModelProjector {
 public:
  absl::Status Apply(const storage::EventEnvelope& /*event*/,
                     const google::protobuf::Message& /*payload*/,
                     storage::ProjectionView& view) const override {
    absl::StatusOr<std::optional<std::string>> total =
        view.Get(ProjectionTable::kState, "total");
    if (!total.ok()) return total.status();
    int64_t count = 0;
    if (total->has_value() && !absl::SimpleAtoi(**total, &count)) {
      return absl::DataLossError("bad total");
    }
    view.Put(ProjectionTable::kState, "total", absl::StrCat(count + 1));
    return absl::OkStatus();
  }
};

class CommandRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::RocksDbEventStoreOptions options;
    options.path = dir_.Sub("db");
    options.file_system = file_system_;
    auto store = storage::RocksDbEventStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    registry_.AddAggregate<domain::RiskIdSequenceAggregate>();
    registry_.AddProjector(std::make_unique<CountingProjector>());
    registry_.AddProjector(std::make_unique<TotalProjector>());
    registry_.AddProjector(std::make_unique<TimeProjector>());
    runner_ = std::make_unique<CommandRunner>(*store_, registry_, *pool_);
  }

  // Runs a command and waits for its reply.
  absl::StatusOr<std::string> Execute(const CommandContext& context,
                                      DecideFn decide, RespondFn respond) {
    return testing::Await<std::string>([&](ReplyFn<std::string> reply) {
      runner_->Execute(context, std::move(decide), std::move(respond),
                       std::move(reply));
    });
  }

  CommandContext Context(std::string key = "") {
    CommandContext context;
    context.audit.principal = "tester";
    context.audit.method = "/test/Do";
    context.audit.request_digest = "digest-1";
    context.time = absl::FromUnixSeconds(1767225600);
    context.idempotency_key = std::move(key);
    return context;
  }

  // A plan appending one event to `stream` at the version it has now.
  static DecideFn AppendTo(const std::string& stream, int* calls) {
    return [stream, calls](CommandPlan& plan) -> absl::Status {
      ++*calls;
      auto sequence = plan.Load<domain::RiskIdSequenceAggregate>(stream);
      if (!sequence.ok()) return sequence.status();
      plan.Record(stream, sequence->version,
                  std::vector<events::v1::RiskIdAssigned>{
                      domain::DecideNextRiskId(sequence->state, 2026)});
      plan.set_justification("because");
      return absl::OkStatus();
    };
  }

  // The response is the projected counter of `stream`.
  RespondFn CounterOf(const std::string& stream) {
    return
        [stream](storage::ProjectionView& view) -> absl::StatusOr<std::string> {
          absl::StatusOr<std::optional<std::string>> value =
              view.Get(ProjectionTable::kState, absl::StrCat("count|", stream));
          if (!value.ok()) return value.status();
          return value->value_or("none");
        };
  }

  int64_t HeadPosition() { return store_->Head()->position; }

  // Starts a command and returns at once; its reply lands in `outcome`.
  struct Outcome {
    absl::Notification done;
    absl::StatusOr<std::string> result = absl::UnknownError("pending");
  };
  void Start(const CommandContext& context, DecideFn decide,
             RespondFn respond, Outcome& outcome) {
    runner_->Execute(context, std::move(decide), std::move(respond),
                     [&outcome](absl::StatusOr<std::string> result) {
                       outcome.result = std::move(result);
                       outcome.done.Notify();
                     });
  }

  // A command on `key` whose decision waits for `release`; returns once it
  // is deciding (so it holds the key).
  void HoldKey(const std::string& key, absl::Notification& deciding,
               absl::Notification& release, Outcome& outcome) {
    CommandContext context = Context();
    context.serialization_keys = {key};
    holder_ = std::thread([this, context, &deciding, &release, &outcome] {
      Start(
          context,
          [&deciding, &release](CommandPlan& /*plan*/) -> absl::Status {
            deciding.Notify();
            release.WaitForNotification();
            return absl::FailedPreconditionError("held the key, decided no");
          },
          CounterOf("s"), outcome);
    });
    deciding.WaitForNotification();
  }

  void TearDown() override {
    if (holder_.joinable()) holder_.join();
  }

  std::thread holder_;

  testing::TempDir dir_;
  EventRegistry registry_;
  std::shared_ptr<testing::FaultyFileSystem> file_system_ =
      std::make_shared<testing::FaultyFileSystem>();
  std::unique_ptr<storage::Executor> pool_ =
      storage::NewThreadPoolExecutor(2);
  std::unique_ptr<storage::RocksDbEventStore> store_;
  std::unique_ptr<CommandRunner> runner_;
};

TEST_F(CommandRunnerTest, AppendsEventsWithProjectionAndAudit) {
  int calls = 0;
  absl::StatusOr<std::string> response =
      Execute(Context(), AppendTo("s", &calls), CounterOf("s"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(*response, "1");
  EXPECT_EQ(calls, 1);
  auto events = store_->ReadStream("s", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].principal, "tester");
  EXPECT_EQ((*events)[0].method, "/test/Do");
  EXPECT_EQ((*events)[0].justification, "because");
  EXPECT_EQ((*events)[0].time, absl::FromUnixSeconds(1767225600));
  EXPECT_EQ(store_->GetProjection(ProjectionTable::kState, "count|s")->value(),
            "1");
}

// The log keeps microseconds: read models are staged with the time the log
// holds, or a rebuild (which sees only the log) would derive other values.
TEST_F(CommandRunnerTest, StagesWithTheTimeTheLogKeeps) {
  CommandContext context = Context();
  context.time = absl::FromUnixNanos(1767225600123456789);
  int calls = 0;
  ASSERT_TRUE(Execute(context, AppendTo("s", &calls), CounterOf("s"))
                  .ok());
  auto events = store_->ReadStream("s", 1, 1);
  ASSERT_TRUE(events.ok() && events->size() == 1u);
  EXPECT_EQ(absl::ToUnixNanos((*events)[0].time), 1767225600123456000);
  EXPECT_EQ(store_->GetProjection(ProjectionTable::kState, "time|s")->value(),
            "1767225600123456000");
}

TEST_F(CommandRunnerTest, RedecidesAfterAConcurrentModification) {
  int calls = 0;
  int other_calls = 0;
  DecideFn inner = AppendTo("s", &calls);
  DecideFn racing = [&](CommandPlan& plan) -> absl::Status {
    absl::Status decided = inner(plan);
    if (calls == 1) {  // another writer gets in between decide and append
      EXPECT_TRUE(
          Execute(Context(), AppendTo("s", &other_calls), CounterOf("s"))
              .ok());
    }
    return decided;
  };
  absl::StatusOr<std::string> response =
      Execute(Context(), racing, CounterOf("s"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(*response, "2");
  EXPECT_EQ(*store_->StreamVersion("s"), 2);
  // The re-decision saw the other writer's event: the ids are contiguous.
  auto events = store_->ReadStream("s", 1, 10);
  ASSERT_TRUE(events.ok());
  events::v1::RiskIdAssigned second;
  ASSERT_TRUE(second.ParseFromString((*events)[1].payload));
  EXPECT_EQ(second.risk_id(), "R-2026-0002");
  EXPECT_EQ((*events)[1].type, "riskledger.events.v1.RiskIdAssigned");
}

TEST_F(CommandRunnerTest, RetryWithSameKeyIsAnsweredWithoutDeciding) {
  int calls = 0;
  ASSERT_TRUE(
      Execute(Context("k"), AppendTo("s", &calls), CounterOf("s"))
          .ok());
  int64_t head = HeadPosition();
  absl::StatusOr<std::string> again =
      Execute(Context("k"), AppendTo("s", &calls), CounterOf("s"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, "1");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(HeadPosition(), head);

  CommandContext other = Context("k");
  other.audit.request_digest = "digest-2";
  absl::StatusOr<std::string> reused =
      Execute(other, AppendTo("s", &calls), CounterOf("s"));
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(reused.status())[0].field, "request_id");
  EXPECT_EQ(HeadPosition(), head);
}

TEST_F(CommandRunnerTest, RetryThatRacedItsFirstAttemptGetsTheFirstResult) {
  int calls = 0;
  // While this call decides, its first attempt (same key, same digest)
  // commits; the state it left makes this decision fail ("already exists").
  DecideFn raced = [&](CommandPlan& /*plan*/) -> absl::Status {
    EXPECT_TRUE(
        Execute(Context("k"), AppendTo("s", &calls), CounterOf("s"))
            .ok());
    return absl::AlreadyExistsError("s already exists");
  };
  absl::StatusOr<std::string> response =
      Execute(Context("k"), raced, CounterOf("s"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(*response, "1");
  EXPECT_EQ(*store_->StreamVersion("s"), 1);

  // Without an idempotency key the failure stands.
  DecideFn fails = [](CommandPlan& /*plan*/) -> absl::Status {
    return absl::AlreadyExistsError("s already exists");
  };
  EXPECT_EQ(
      Execute(Context(), fails, CounterOf("s")).status().code(),
      absl::StatusCode::kAlreadyExists);
}

TEST_F(CommandRunnerTest, CommandsWithOneSerializationKeyNeverConflict) {
  constexpr int kThreads = 8;
  constexpr int kCommandsPerThread = 40;
  std::atomic<int> deciding{0};
  std::atomic<int> overlaps{0};
  std::atomic<int> failures{0};
  int decisions = 0;  // only touched under the serialization lock
  DecideFn inner = AppendTo("hot", &decisions);
  DecideFn exclusive = [&](CommandPlan& plan) -> absl::Status {
    if (deciding.fetch_add(1) != 0) overlaps.fetch_add(1);
    absl::Status decided = inner(plan);
    deciding.fetch_sub(1);
    return decided;
  };
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCommandsPerThread; ++i) {
        CommandContext context = Context();
        context.serialization_keys = {"hot"};
        if (!Execute(context, exclusive, CounterOf("hot")).ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_EQ(decisions, kThreads * kCommandsPerThread);  // no re-decisions
  EXPECT_EQ(*store_->StreamVersion("hot"), kThreads * kCommandsPerThread);
}

// The projection invariant: a read model fed by several streams stays exact
// under concurrent commands on different streams (each expects only its own),
// because the append checks the projection values the staging read. Without
// that check, two commands staged from the same total and one overwrote the
// other's increment.
TEST_F(CommandRunnerTest, ReadModelFedByManyStreamsLosesNoUpdate) {
  constexpr int kThreads = 4;
  constexpr int kCommandsPerThread = 50;
  std::atomic<int> committed{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string stream = absl::StrCat("stream-", t);
      int calls = 0;
      for (int i = 0; i < kCommandsPerThread; ++i) {
        CommandContext context = Context();
        context.serialization_keys = {stream};
        absl::StatusOr<std::string> result = Execute(
            context, AppendTo(stream, &calls), CounterOf(stream));
        if (result.ok()) {
          committed.fetch_add(1);
        } else if (!absl::IsAborted(result.status())) {
          // A command that keeps losing the race on the shared model gives
          // up with ABORTED (retryable); anything else is a failure.
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(committed.load(), 0);
  int64_t events = 0;
  for (int t = 0; t < kThreads; ++t) {
    events += *store_->StreamVersion(absl::StrCat("stream-", t));
  }
  EXPECT_EQ(events, committed.load());
  EXPECT_EQ(store_->GetProjection(ProjectionTable::kState, "total")->value_or(""),
            absl::StrCat(committed.load()));
}

TEST_F(CommandRunnerTest, CommandPastItsDeadlineIsDroppedAndWritesNothing) {
  int calls = 0;
  CommandContext late = Context("k");
  late.deadline = absl::Now() - absl::Seconds(1);
  absl::StatusOr<std::string> response =
      Execute(late, AppendTo("s", &calls), CounterOf("s"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(HeadPosition(), 0);
  EXPECT_FALSE(store_->FindIdempotentResponse("k", "digest-1")->has_value());

  CommandContext in_time = Context();
  in_time.deadline = absl::Now() + absl::Hours(1);
  EXPECT_TRUE(
      Execute(in_time, AppendTo("s", &calls), CounterOf("s")).ok());
}

TEST_F(CommandRunnerTest, RejectedDecisionWritesNothing) {
  DecideFn reject = [](CommandPlan& /*plan*/) -> absl::Status {
    return absl::FailedPreconditionError("rule says no");
  };
  absl::StatusOr<std::string> response =
      Execute(Context("k"), reject, CounterOf("s"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(HeadPosition(), 0);
  EXPECT_FALSE(store_->FindIdempotentResponse("k", "digest-1")->has_value());
}

TEST_F(CommandRunnerTest, OneStreamExpectedAtTwoVersionsIsRefused) {
  DecideFn confused = [](CommandPlan& plan) -> absl::Status {
    plan.Expect("s", 0);
    plan.Expect("s", 1);
    return absl::OkStatus();
  };
  EXPECT_EQ(
      Execute(Context(), confused, CounterOf("s")).status().code(),
      absl::StatusCode::kInternal);
  EXPECT_EQ(HeadPosition(), 0);
}

TEST_F(CommandRunnerTest, CommandsOnOneKeyAreDecidedInArrivalOrder) {
  absl::Notification deciding;
  absl::Notification release;
  Outcome holder;
  HoldKey("hot", deciding, release, holder);
  std::vector<int> order;  // written by one decision at a time
  constexpr int kWaiting = 5;
  std::vector<Outcome> waiting(kWaiting);
  int calls = 0;
  DecideFn inner = AppendTo("s", &calls);
  for (int i = 0; i < kWaiting; ++i) {
    CommandContext context = Context();
    context.serialization_keys = {"hot"};
    Start(
        context,
        [&order, i, inner](CommandPlan& plan) {
          order.push_back(i);
          return inner(plan);
        },
        CounterOf("s"), waiting[i]);
  }
  release.Notify();
  for (Outcome& outcome : waiting) {
    outcome.done.WaitForNotification();
    EXPECT_TRUE(outcome.result.ok()) << outcome.result.status();
  }
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  holder.done.WaitForNotification();
  EXPECT_EQ(holder.result.status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(CommandRunnerTest, CancelledCommandWaitingForItsKeyIsDropped) {
  absl::Notification deciding;
  absl::Notification release;
  Outcome holder;
  HoldKey("hot", deciding, release, holder);
  auto cancellation = std::make_shared<Cancellation>();
  CommandContext context = Context("k");
  context.serialization_keys = {"hot"};
  context.cancellation = cancellation;
  int calls = 0;
  Outcome cancelled;
  Start(context, AppendTo("s", &calls), CounterOf("s"), cancelled);
  cancellation->Cancel();
  release.Notify();
  cancelled.done.WaitForNotification();
  // The holder is answered asynchronously too; it must not outlive the test.
  holder.done.WaitForNotification();
  EXPECT_EQ(cancelled.result.status().code(), absl::StatusCode::kCancelled)
      << cancelled.result.status();
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(HeadPosition(), 0);
}

TEST_F(CommandRunnerTest, CommandWhoseDeadlinePassedWhileWaitingIsDropped) {
  absl::Notification deciding;
  absl::Notification release;
  Outcome holder;
  HoldKey("hot", deciding, release, holder);
  CommandContext context = Context("k");
  context.serialization_keys = {"hot"};
  context.deadline = absl::Now() + absl::Milliseconds(1);
  int calls = 0;
  Outcome late;
  Start(context, AppendTo("s", &calls), CounterOf("s"), late);
  while (absl::Now() <= context.deadline) absl::SleepFor(absl::Milliseconds(1));
  release.Notify();
  late.done.WaitForNotification();
  // The holder is answered asynchronously too; it must not outlive the test.
  holder.done.WaitForNotification();
  EXPECT_EQ(late.result.status().code(), absl::StatusCode::kDeadlineExceeded)
      << late.result.status();
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(HeadPosition(), 0);
}

// A key is free again once its command's append is sequenced: the next
// command on it decides on that state while the first is still syncing,
// and both share the next sync instead of paying one each (item 2: creates
// in one tenant share group commits, ids still contiguous).
TEST_F(CommandRunnerTest, NextCommandOnAKeyDecidesWhileThePreviousSyncs) {
  file_system_->HoldSyncs();
  CommandContext context = Context();
  context.serialization_keys = {"sequence"};
  int calls = 0;
  Outcome first;
  Start(context, AppendTo("sequence", &calls), CounterOf("sequence"), first);
  file_system_->AwaitHeldSync();
  Outcome second;
  absl::Notification second_decided;
  DecideFn inner = AppendTo("sequence", &calls);
  Start(
      context,
      [&](CommandPlan& plan) {
        absl::Status decided = inner(plan);
        second_decided.Notify();
        return decided;
      },
      CounterOf("sequence"), second);
  const bool decided_during_sync =
      second_decided.WaitForNotificationWithTimeout(absl::Seconds(60));
  file_system_->ReleaseSyncs();
  first.done.WaitForNotification();
  second.done.WaitForNotification();
  ASSERT_TRUE(decided_during_sync)
      << "the second command waited for the first one's sync";
  ASSERT_TRUE(first.result.ok()) << first.result.status();
  ASSERT_TRUE(second.result.ok()) << second.result.status();
  EXPECT_EQ(*first.result, "1");
  EXPECT_EQ(*second.result, "2");
  EXPECT_EQ(calls, 2);  // no re-decision
  auto events = store_->ReadStream("sequence", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  events::v1::RiskIdAssigned second_id;
  ASSERT_TRUE(second_id.ParseFromString((*events)[1].payload));
  EXPECT_EQ(second_id.risk_id(), "R-2026-0002");
  EXPECT_EQ(store_->synced_writes(), 2);
}

// A failure decided on state that is sequenced but not yet durable (here
// a decision that looked at the first command's pending write) is not
// reported before that state is durable: a crash or failed sync could
// still undo what the failure rests on.
TEST_F(CommandRunnerTest, FailureOnPendingStateWaitsUntilItIsDurable) {
  file_system_->HoldSyncs();
  int calls = 0;
  Outcome first;
  Start(Context(), AppendTo("s", &calls), CounterOf("s"), first);
  file_system_->AwaitHeldSync();
  Outcome refused;
  std::atomic<int64_t> head_at_reply{-1};
  runner_->Execute(
      Context(),
      [](CommandPlan& plan) -> absl::Status {
        auto seen = plan.Load<domain::RiskIdSequenceAggregate>("s");
        if (!seen.ok()) return seen.status();
        return absl::FailedPreconditionError(
            absl::StrCat("s is at version ", seen->version));
      },
      CounterOf("s"),
      [&](absl::StatusOr<std::string> result) {
        head_at_reply = store_->Head()->position;
        refused.result = std::move(result);
        refused.done.Notify();
      });
  file_system_->ReleaseSyncs();
  refused.done.WaitForNotification();
  first.done.WaitForNotification();
  EXPECT_EQ(refused.result.status().message(), "s is at version 1");
  EXPECT_EQ(head_at_reply.load(), 1)
      << "the failure was answered before the state it rests on was durable";
}

// A decision that throws (the standard library can, e.g. std::length_error)
// fails its command with INTERNAL, wherever it runs, and releases the
// command's serialization keys: the next command on the same key runs.
TEST_F(CommandRunnerTest, AThrowingDecisionFailsAndReleasesItsKeys) {
  CommandContext context = Context();
  context.serialization_keys = {"stream-a", "stream-b"};
  DecideFn throwing = [](CommandPlan& /*plan*/) -> absl::Status {
    throw std::length_error("basic_string::_M_create");
  };
  EXPECT_EQ(Execute(context, throwing, CounterOf("stream-a")).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(HeadPosition(), 0);

  int calls = 0;
  absl::StatusOr<std::string> result =
      Execute(context, AppendTo("stream-a", &calls), CounterOf("stream-a"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, "1");
}

}  // namespace
}  // namespace riskledger
