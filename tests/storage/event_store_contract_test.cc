// The EventStore contract (storage/event_store.h), run against every
// implementation. To cover a new implementation, add a factory type beside
// RocksDbStoreFactory and list it in StoreFactories.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/base/status_details.h"
#include "storage/chain_verifier.h"
#include "storage/event_codec.h"
#include "storage/event_store.h"
#include "storage/projector.h"
#include "storage/rocksdb_event_store.h"
#include "tests/storage/event_store_test_util.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// A factory owns whatever backs one store (here a temporary directory) and
// outlives the store it makes. Each test gets a new factory and store.
class RocksDbStoreFactory {
 public:
  static std::string Name() { return "RocksDb"; }

  absl::StatusOr<std::unique_ptr<EventStore>> NewStore() {
    RocksDbEventStoreOptions options;
    options.path = dir_.Sub("db");
    options.sync_writes = true;
    absl::StatusOr<std::unique_ptr<RocksDbEventStore>> store =
        RocksDbEventStore::Open(options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<EventStore>(*std::move(store));
  }

 private:
  riskledger::testing::TempDir dir_;
};

using StoreFactories = ::testing::Types<RocksDbStoreFactory>;

class FactoryNames {
 public:
  template <typename Factory>
  static std::string GetName(int) {
    return Factory::Name();
  }
};

template <typename Factory>
class EventStoreContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<EventStore>> store = factory_.NewStore();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  EventStore& store() { return *store_; }

  // Appends and requires success.
  AppendResult MustAppend(AppendRequest request) {
    absl::StatusOr<AppendResult> result = store_->Append(std::move(request));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *std::move(result) : AppendResult{};
  }

 private:
  Factory factory_;  // declared first: destroyed after the store
  std::unique_ptr<EventStore> store_;
};

TYPED_TEST_SUITE(EventStoreContractTest, StoreFactories, FactoryNames);

// Per stream, counts the events since the stream's last "Reset" in kState
// ("count/<stream>", deleted by "Reset") and indexes every event in kIndex
// ("event/<stream>/<version>" -> payload). "Noop" events project nothing.
class CountingProjector : public Projector {
 public:
  absl::Status Apply(const EventEnvelope& event,
                     ProjectionView& view) const override {
    if (event.type == "Noop") return absl::OkStatus();
    const std::string count_key = absl::StrCat("count/", event.stream_id);
    if (event.type == "Reset") {
      view.Delete(ProjectionTable::kState, count_key);
    } else {
      absl::StatusOr<std::optional<std::string>> current =
          view.Get(ProjectionTable::kState, count_key);
      if (!current.ok()) return current.status();
      int64_t count = 0;
      if (current->has_value() && !absl::SimpleAtoi(**current, &count)) {
        return absl::DataLossError(absl::StrCat("bad counter ", **current));
      }
      view.Put(ProjectionTable::kState, count_key, absl::StrCat(count + 1));
    }
    view.Put(
        ProjectionTable::kIndex,
        absl::StrFormat("event/%s/%08d", event.stream_id, event.stream_version),
        event.payload);
    return absl::OkStatus();
  }
};

// Computes `request`'s projection writes with `projector`, the way a command
// handler does, and appends. Not safe against concurrent appends.
absl::StatusOr<AppendResult> AppendProjected(EventStore& store,
                                             const Projector& projector,
                                             AppendRequest request) {
  StagedProjection view(store);
  std::map<std::string, int64_t> versions;
  for (const NewEvent& event : request.events) {
    auto it = versions.find(event.stream_id);
    if (it == versions.end()) {
      absl::StatusOr<int64_t> version = store.StreamVersion(event.stream_id);
      if (!version.ok()) return version.status();
      it = versions.emplace(event.stream_id, *version).first;
    }
    EventEnvelope envelope;
    envelope.stream_id = event.stream_id;
    envelope.stream_version = ++it->second;
    envelope.type = event.type;
    envelope.payload = event.payload;
    envelope.time = request.time;
    absl::Status applied = projector.Apply(envelope, view);
    if (!applied.ok()) return applied;
  }
  request.projection_writes = view.TakeWrites();
  return store.Append(std::move(request));
}

// Payload bytes that a text-only encoding would mangle.
std::string BinaryPayload() {
  return std::string("\x00\x01risk\x00\xff\xfe\n\r\"'\\", 14);
}

TYPED_TEST(EventStoreContractTest, EmptyStoreHasGenesisHeadAndVerifies) {
  absl::StatusOr<ChainHead> head = this->store().Head();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->position, 0);
  EXPECT_EQ(head->hash, GenesisHash());
  absl::StatusOr<ChainHead> verified = VerifyChain(this->store());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->position, 0);
  EXPECT_EQ(verified->hash, GenesisHash());
  EXPECT_THAT(ReadWholeLog(this->store()), IsEmpty());
}

TYPED_TEST(EventStoreContractTest, AppendedEventKeepsEveryEnvelopeField) {
  AppendRequest request = MakeRequest(
      {MakeEvent("tenants/t1/risks/r1", "RiskCreated", BinaryPayload())});
  request.audit.principal = "cert:CN=ciso,O=uni";
  request.audit.peer = "ipv6:[::1]:41234";
  request.audit.method = "/riskledger.v1.Risks/ApproveAcceptance";
  request.audit.request_id = "0b6c7f6e-request";
  request.audit.request_digest = std::string(64, 'a');
  // Microsecond precision, not a whole second.
  request.time = absl::FromUnixMicros(1700000000123457);
  request.result = "FAILED_PRECONDITION";
  request.justification = "Rektorát schválil (M7)\nsecond line";
  request.response = "serialized-response";

  AppendResult result = this->MustAppend(request);
  EXPECT_EQ(result.first_position, 1);
  EXPECT_EQ(result.last_position, 1);
  EXPECT_EQ(result.response, "serialized-response");
  EXPECT_FALSE(result.replayed);

  absl::StatusOr<std::vector<EventEnvelope>> by_stream =
      this->store().ReadStream("tenants/t1/risks/r1", 1, 10);
  ASSERT_TRUE(by_stream.ok()) << by_stream.status();
  ASSERT_EQ(by_stream->size(), 1u);
  const EventEnvelope& event = (*by_stream)[0];
  EXPECT_EQ(event.position, 1);
  EXPECT_EQ(event.stream_id, "tenants/t1/risks/r1");
  EXPECT_EQ(event.stream_version, 1);
  EXPECT_EQ(event.type, "RiskCreated");
  EXPECT_EQ(event.payload, BinaryPayload());
  EXPECT_EQ(event.payload.size(), 14u);
  EXPECT_EQ(event.time, absl::FromUnixMicros(1700000000123457));
  EXPECT_EQ(event.principal, "cert:CN=ciso,O=uni");
  EXPECT_EQ(event.peer, "ipv6:[::1]:41234");
  EXPECT_EQ(event.method, "/riskledger.v1.Risks/ApproveAcceptance");
  EXPECT_EQ(event.request_id, "0b6c7f6e-request");
  EXPECT_EQ(event.request_digest, std::string(64, 'a'));
  EXPECT_EQ(event.result, "FAILED_PRECONDITION");
  EXPECT_EQ(event.justification, "Rektorát schválil (M7)\nsecond line");
  EXPECT_EQ(event.prev_hash, GenesisHash());
  EXPECT_EQ(event.hash.size(), kHashSize);
  EXPECT_EQ(event.hash, ComputeEventHash(event));

  absl::StatusOr<std::vector<EventEnvelope>> all = this->store().ReadAll(1, 10);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(Describe((*all)[0]), Describe(event));

  absl::StatusOr<ChainHead> head = this->store().Head();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->position, 1);
  EXPECT_EQ(head->hash, event.hash);
}

TYPED_TEST(EventStoreContractTest, MultiStreamAppendGetsConsecutivePositions) {
  this->MustAppend(MakeRequest({MakeEvent("a", "Created", "a1")}));
  AppendResult result = this->MustAppend(MakeRequest(
      {MakeEvent("b", "Created", "b1"), MakeEvent("a", "Changed", "a2"),
       MakeEvent("b", "Changed", "b2"), MakeEvent("c", "Created", "c1")}));
  EXPECT_EQ(result.first_position, 2);
  EXPECT_EQ(result.last_position, 5);

  std::vector<EventEnvelope> log = ReadWholeLog(this->store());
  ASSERT_EQ(log.size(), 5u);
  const std::vector<std::tuple<int64_t, std::string, int64_t, std::string>>
      expected = {{1, "a", 1, "a1"},
                  {2, "b", 1, "b1"},
                  {3, "a", 2, "a2"},
                  {4, "b", 2, "b2"},
                  {5, "c", 1, "c1"}};
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(std::make_tuple(log[i].position, log[i].stream_id,
                              log[i].stream_version, log[i].payload),
              expected[i])
        << "log entry " << i;
  }
  EXPECT_EQ(VersionOf(this->store(), "a"), 2);
  EXPECT_EQ(VersionOf(this->store(), "b"), 2);
  EXPECT_EQ(VersionOf(this->store(), "c"), 1);

  absl::StatusOr<std::vector<EventEnvelope>> b =
      this->store().ReadStream("b", 1, 10);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].position, 2);
  EXPECT_EQ((*b)[1].position, 4);
  // Every event of one append records the same audit context.
  for (const EventEnvelope& event : log) {
    EXPECT_EQ(event.principal, "user:alice");
    EXPECT_EQ(event.method, "/riskledger.v1.Risks/CreateRisk");
  }
}

TYPED_TEST(EventStoreContractTest, StreamVersionIsZeroForUnknownStreams) {
  EXPECT_EQ(VersionOf(this->store(), "risk-1"), 0);
  this->MustAppend(MakeRequest({MakeEvent("risk-1", "Created", "x"),
                                MakeEvent("risk-1", "Changed", "y"),
                                MakeEvent("risk-10", "Created", "z")}));
  EXPECT_EQ(VersionOf(this->store(), "risk-1"), 2);
  EXPECT_EQ(VersionOf(this->store(), "risk-10"), 1);
  // Neither a prefix nor an extension of a known stream is that stream.
  EXPECT_EQ(VersionOf(this->store(), "risk-"), 0);
  EXPECT_EQ(VersionOf(this->store(), "risk-100"), 0);
  EXPECT_EQ(VersionOf(this->store(), "risk-2"), 0);
  absl::StatusOr<std::vector<EventEnvelope>> unknown =
      this->store().ReadStream("risk-", 1, 10);
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_THAT(*unknown, IsEmpty());
}

TYPED_TEST(EventStoreContractTest, MatchingExpectedVersionsSucceed) {
  AppendRequest create = MakeRequest({MakeEvent("a", "Created", "1")});
  create.expectations = {{"a", kNoStream}};
  this->MustAppend(create);

  AppendRequest change = MakeRequest(
      {MakeEvent("a", "Changed", "2"), MakeEvent("b", "Created", "3")});
  change.expectations = {{"a", 1}, {"b", kNoStream}};
  AppendResult result = this->MustAppend(change);
  EXPECT_EQ(result.first_position, 2);
  EXPECT_EQ(VersionOf(this->store(), "a"), 2);
  EXPECT_EQ(VersionOf(this->store(), "b"), 1);
}

TYPED_TEST(EventStoreContractTest,
           ExpectedVersionConflictAbortsAndWritesNothing) {
  AppendRequest setup = MakeRequest(
      {MakeEvent("a", "Created", "a1"), MakeEvent("b", "Created", "b1")});
  setup.idempotency_key = "setup";
  setup.audit.request_digest = "setup-digest";
  setup.projection_writes = {{ProjectionTable::kState, "a", "a-v1"},
                             {ProjectionTable::kState, "b", "b-v1"},
                             {ProjectionTable::kIndex, "idx/a", "1"}};
  this->MustAppend(setup);
  const std::vector<std::string> streams = {"a", "b", "c"};
  StoreSnapshot before = TakeSnapshot(this->store(), streams);

  // "a" matches, "b" does not: the whole append must fail, including the
  // events for "a" and "c", the projection writes and the idempotency record.
  AppendRequest conflicting = MakeRequest({MakeEvent("a", "Changed", "a2"),
                                           MakeEvent("b", "Changed", "b2"),
                                           MakeEvent("c", "Created", "c1")});
  conflicting.expectations = {{"a", 1}, {"b", 7}};
  conflicting.idempotency_key = "conflicting";
  conflicting.audit.request_digest = "conflicting-digest";
  conflicting.projection_writes = {
      {ProjectionTable::kState, "a", "a-v2"},
      {ProjectionTable::kState, "b", std::nullopt},
      {ProjectionTable::kState, "c", "c-v1"},
      {ProjectionTable::kIndex, "idx/a", std::nullopt}};
  absl::StatusOr<AppendResult> result = this->store().Append(conflicting);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted)
      << result.status();

  ExpectSameSnapshot(before, TakeSnapshot(this->store(), streams));
  absl::StatusOr<std::optional<std::string>> record =
      this->store().FindIdempotentResponse("conflicting", "conflicting-digest");
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(*record, std::nullopt);

  // The failed attempt left no idempotency record behind: a corrected retry
  // under the same key is executed, not replayed.
  conflicting.expectations = {{"a", 1}, {"b", 1}};
  AppendResult retried = this->MustAppend(conflicting);
  EXPECT_FALSE(retried.replayed);
  EXPECT_EQ(retried.first_position, 3);
  EXPECT_EQ(retried.last_position, 5);
}

TYPED_TEST(EventStoreContractTest, NoStreamOnExistingStreamIsAborted) {
  this->MustAppend(MakeRequest({MakeEvent("a", "Created", "1")}));
  StoreSnapshot before = TakeSnapshot(this->store(), {"a"});
  AppendRequest again = MakeRequest({MakeEvent("a", "Created", "again")});
  again.expectations = {{"a", kNoStream}};
  absl::StatusOr<AppendResult> result = this->store().Append(again);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted)
      << result.status();
  ExpectSameSnapshot(before, TakeSnapshot(this->store(), {"a"}));
}

TYPED_TEST(EventStoreContractTest, StaleExpectedVersionIsAborted) {
  this->MustAppend(MakeRequest(
      {MakeEvent("a", "Created", "1"), MakeEvent("a", "Changed", "2")}));
  for (int64_t stale : {int64_t{1}, int64_t{3}}) {
    AppendRequest request = MakeRequest({MakeEvent("a", "Changed", "x")});
    request.expectations = {{"a", stale}};
    EXPECT_EQ(this->store().Append(request).status().code(),
              absl::StatusCode::kAborted)
        << "expected version " << stale;
  }
  EXPECT_EQ(VersionOf(this->store(), "a"), 2);
}

TYPED_TEST(EventStoreContractTest, AnyVersionAcceptsEveryCurrentVersion) {
  for (int i = 1; i <= 3; ++i) {
    AppendRequest request =
        MakeRequest({MakeEvent("shared", "Changed", absl::StrCat(i))});
    request.expectations = {{"shared", kAnyVersion}};
    AppendResult result = this->MustAppend(request);
    EXPECT_EQ(result.first_position, i);
    EXPECT_EQ(VersionOf(this->store(), "shared"), i);
  }
}

TYPED_TEST(EventStoreContractTest, IdempotentRetryReplaysTheFirstResult) {
  AppendRequest first = MakeRequest(
      {MakeEvent("r", "Created", "r1"), MakeEvent("r", "Changed", "r2")});
  first.expectations = {{"r", kNoStream}};
  first.idempotency_key = "req-1";
  first.audit.request_digest = "digest-1";
  first.response = "response-1";
  first.projection_writes = {{ProjectionTable::kState, "r", "r-state"}};
  AppendResult original = this->MustAppend(first);
  EXPECT_FALSE(original.replayed);
  EXPECT_EQ(original.first_position, 1);
  EXPECT_EQ(original.last_position, 2);

  // Other work moves the head on.
  this->MustAppend(MakeRequest({MakeEvent("other", "Created", "o1")}));
  StoreSnapshot before =
      TakeSnapshot(this->store(), {"r", "other", "elsewhere"});

  // The identical request again: its kNoStream expectation no longer holds,
  // but a retry is answered from the record, not re-executed.
  AppendResult replay = this->MustAppend(first);
  EXPECT_TRUE(replay.replayed);
  EXPECT_EQ(replay.first_position, 1);
  EXPECT_EQ(replay.last_position, 2);
  EXPECT_EQ(replay.response, "response-1");

  // What identifies a retry is key + digest; the body is not re-read.
  AppendRequest different_body =
      MakeRequest({MakeEvent("elsewhere", "Created", "z")});
  different_body.idempotency_key = "req-1";
  different_body.audit.request_digest = "digest-1";
  different_body.response = "response-2";
  different_body.projection_writes = {{ProjectionTable::kState, "r", "BAD"}};
  AppendResult replay2 = this->MustAppend(different_body);
  EXPECT_TRUE(replay2.replayed);
  EXPECT_EQ(replay2.first_position, 1);
  EXPECT_EQ(replay2.last_position, 2);
  EXPECT_EQ(replay2.response, "response-1");

  ExpectSameSnapshot(before,
                     TakeSnapshot(this->store(), {"r", "other", "elsewhere"}));
  absl::StatusOr<std::optional<std::string>> found =
      this->store().FindIdempotentResponse("req-1", "digest-1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, std::optional<std::string>("response-1"));
}

TYPED_TEST(EventStoreContractTest,
           IdempotencyKeyReusedForOtherRequestIsRejected) {
  AppendRequest first = MakeRequest({MakeEvent("r", "Created", "r1")});
  first.idempotency_key = "req-1";
  first.audit.request_digest = "digest-1";
  first.response = "response-1";
  this->MustAppend(first);
  StoreSnapshot before = TakeSnapshot(this->store(), {"r", "s"});

  AppendRequest reuse = MakeRequest({MakeEvent("s", "Created", "s1")});
  reuse.idempotency_key = "req-1";
  reuse.audit.request_digest = "digest-2";
  reuse.response = "response-2";
  reuse.projection_writes = {{ProjectionTable::kState, "s", "s-state"}};
  absl::StatusOr<AppendResult> result = this->store().Append(reuse);
  ASSERT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists)
      << result.status();
  ExpectSameSnapshot(before, TakeSnapshot(this->store(), {"r", "s"}));

  absl::StatusOr<std::optional<std::string>> lookup =
      this->store().FindIdempotentResponse("req-1", "digest-2");
  EXPECT_EQ(lookup.status().code(), absl::StatusCode::kAlreadyExists)
      << lookup.status();
  absl::StatusOr<std::optional<std::string>> original =
      this->store().FindIdempotentResponse("req-1", "digest-1");
  ASSERT_TRUE(original.ok()) << original.status();
  EXPECT_EQ(*original, std::optional<std::string>("response-1"));
  absl::StatusOr<std::optional<std::string>> unknown =
      this->store().FindIdempotentResponse("req-2", "digest-1");
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_EQ(*unknown, std::nullopt);
}

TYPED_TEST(EventStoreContractTest, AppendsWithoutKeyAreNeverReplayed) {
  AppendRequest request = MakeRequest({MakeEvent("r", "Changed", "x")});
  request.audit.request_digest = "same-digest";
  AppendResult first = this->MustAppend(request);
  AppendResult second = this->MustAppend(request);
  EXPECT_FALSE(second.replayed);
  EXPECT_EQ(first.first_position, 1);
  EXPECT_EQ(second.first_position, 2);
  EXPECT_EQ(VersionOf(this->store(), "r"), 2);
}

TYPED_TEST(EventStoreContractTest, SnapshotDoesNotSeeLaterAppends) {
  AppendRequest create = MakeRequest({MakeEvent("r1", "Created", "1")});
  create.projection_writes = {{ProjectionTable::kState, "risks/r1", "v1"},
                              {ProjectionTable::kIndex, "prio/5/r1", "r1"}};
  this->MustAppend(create);
  absl::StatusOr<std::unique_ptr<ProjectionReader>> snapshot =
      this->store().SnapshotProjections();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();

  AppendRequest change = MakeRequest({MakeEvent("r1", "Changed", "2")});
  change.projection_writes = {
      {ProjectionTable::kState, "risks/r1", "v2"},
      {ProjectionTable::kState, "risks/r2", "new"},
      {ProjectionTable::kIndex, "prio/5/r1", std::nullopt},
      {ProjectionTable::kIndex, "prio/9/r1", "r1"}};
  this->MustAppend(change);

  // The snapshot still shows the first state, for gets and scans alike.
  EXPECT_EQ((*snapshot)
                ->GetProjection(ProjectionTable::kState, "risks/r1")
                ->value_or("<none>"),
            "v1");
  EXPECT_FALSE((*snapshot)
                   ->GetProjection(ProjectionTable::kState, "risks/r2")
                   ->has_value());
  auto index =
      (*snapshot)->ScanProjection(ProjectionTable::kIndex, "prio/", "", 10);
  ASSERT_TRUE(index.ok()) << index.status();
  ASSERT_EQ(index->size(), 1u);
  EXPECT_EQ((*index)[0].first, "prio/5/r1");
  // The store itself shows the latest state.
  EXPECT_EQ(this->store()
                .GetProjection(ProjectionTable::kState, "risks/r1")
                ->value_or("<none>"),
            "v2");
}

TYPED_TEST(EventStoreContractTest, ProjectionWritesAreAppliedWithTheEvents) {
  const std::string binary_key("risk\x00\x01", 6);
  AppendRequest create = MakeRequest({MakeEvent("r1", "Created", "1")});
  create.projection_writes = {
      {ProjectionTable::kState, "risks/r1", "v1"},
      {ProjectionTable::kState, binary_key, BinaryPayload()},
      // The same key in the other table is a different entry.
      {ProjectionTable::kIndex, "risks/r1", "index-value"},
      {ProjectionTable::kIndex, "prio/0009/r1", ""}};
  this->MustAppend(create);

  auto get = [this](ProjectionTable table, const std::string& key) {
    absl::StatusOr<std::optional<std::string>> value =
        this->store().GetProjection(table, key);
    EXPECT_TRUE(value.ok()) << value.status();
    return value.ok() ? *value : std::optional<std::string>("<error>");
  };
  EXPECT_EQ(get(ProjectionTable::kState, "risks/r1"), "v1");
  EXPECT_EQ(get(ProjectionTable::kState, binary_key), BinaryPayload());
  EXPECT_EQ(get(ProjectionTable::kIndex, "risks/r1"), "index-value");
  // An empty value is a value, not a deletion.
  EXPECT_EQ(get(ProjectionTable::kIndex, "prio/0009/r1"), "");
  EXPECT_EQ(get(ProjectionTable::kState, "prio/0009/r1"), std::nullopt);
  EXPECT_EQ(get(ProjectionTable::kState, "risks/r2"), std::nullopt);

  AppendRequest change = MakeRequest({MakeEvent("r1", "Changed", "2")});
  change.projection_writes = {
      {ProjectionTable::kState, "risks/r1", "v2"},
      {ProjectionTable::kState, binary_key, std::nullopt},
      {ProjectionTable::kIndex, "prio/0009/r1", std::nullopt},
      {ProjectionTable::kIndex, "prio/0003/r1", ""},
      // Deleting a missing key is not an error.
      {ProjectionTable::kIndex, "never-written", std::nullopt}};
  this->MustAppend(change);
  EXPECT_EQ(get(ProjectionTable::kState, "risks/r1"), "v2");
  EXPECT_EQ(get(ProjectionTable::kState, binary_key), std::nullopt);
  EXPECT_EQ(get(ProjectionTable::kIndex, "prio/0009/r1"), std::nullopt);
  EXPECT_EQ(get(ProjectionTable::kIndex, "risks/r1"), "index-value");

  EXPECT_THAT(DumpProjection(this->store(), ProjectionTable::kState),
              ElementsAre(Pair("risks/r1", "v2")));
  EXPECT_THAT(
      DumpProjection(this->store(), ProjectionTable::kIndex),
      ElementsAre(Pair("prio/0003/r1", ""), Pair("risks/r1", "index-value")));
}

// Projections are staged outside the sequencer; the values staging read must
// still hold at commit, or a read model fed by two streams loses an update.
TYPED_TEST(EventStoreContractTest, AppendFailsWhenAProjectionItReadChanged) {
  AppendRequest first = MakeRequest({MakeEvent("a", "Created", "1")});
  first.projection_writes = {{ProjectionTable::kState, "shared", "1"}};
  this->MustAppend(first);
  const int64_t head = this->store().Head()->position;

  // Read "shared" as absent (before `first`), from another stream.
  AppendRequest stale = MakeRequest({MakeEvent("b", "Created", "1")});
  stale.projection_reads = {{ProjectionTable::kState, "shared", std::nullopt}};
  stale.projection_writes = {{ProjectionTable::kState, "shared", "1"}};
  EXPECT_EQ(this->store().Append(stale).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(this->store().Head()->position, head);
  EXPECT_EQ(*this->store().StreamVersion("b"), 0);

  AppendRequest fresh = MakeRequest({MakeEvent("b", "Created", "1")});
  fresh.projection_reads = {{ProjectionTable::kState, "shared", "1"},
                            {ProjectionTable::kIndex, "absent", std::nullopt}};
  fresh.projection_writes = {{ProjectionTable::kState, "shared", "2"}};
  this->MustAppend(fresh);
  EXPECT_EQ(this->store().GetProjection(ProjectionTable::kState, "shared")
                ->value_or(""),
            "2");
  // The same key in the other table is another value.
  AppendRequest other_table = MakeRequest({MakeEvent("c", "Created", "1")});
  other_table.projection_reads = {{ProjectionTable::kIndex, "shared", "2"}};
  EXPECT_EQ(this->store().Append(other_table).status().code(),
            absl::StatusCode::kAborted);
}

TYPED_TEST(EventStoreContractTest,
           ScanProjectionHonoursPrefixStartAfterAndCount) {
  AppendRequest request = MakeRequest({MakeEvent("r", "Created", "1")});
  // Written out of order; the scan must return key order.
  for (const char* key : {"b/30", "c", "b/2", "a", "b/1", "b/3", "b0"}) {
    request.projection_writes.push_back(
        {ProjectionTable::kIndex, key, absl::StrCat("v:", key)});
  }
  request.projection_writes.push_back(
      {ProjectionTable::kState, "b/state-only", "s"});
  this->MustAppend(request);

  auto scan = [this](absl::string_view prefix, absl::string_view start_after,
                     size_t max_count) {
    absl::StatusOr<ProjectionDump> entries = this->store().ScanProjection(
        ProjectionTable::kIndex, prefix, start_after, max_count);
    EXPECT_TRUE(entries.ok()) << entries.status();
    std::vector<std::string> keys;
    if (entries.ok()) {
      for (const auto& [key, value] : *entries) {
        EXPECT_EQ(value, absl::StrCat("v:", key));
        keys.push_back(key);
      }
    }
    return keys;
  };
  using Keys = std::vector<std::string>;
  EXPECT_EQ(scan("", "", kUnlimited),
            (Keys{"a", "b/1", "b/2", "b/3", "b/30", "b0", "c"}));
  EXPECT_EQ(scan("b/", "", kUnlimited), (Keys{"b/1", "b/2", "b/3", "b/30"}));
  EXPECT_EQ(scan("b/", "", 2), (Keys{"b/1", "b/2"}));
  EXPECT_EQ(scan("b/", "b/2", 2), (Keys{"b/3", "b/30"}));
  EXPECT_EQ(scan("b/", "b/30", 2), Keys{});
  // start_after need not be a stored key.
  EXPECT_EQ(scan("b/", "b/25", kUnlimited), (Keys{"b/3", "b/30"}));
  // start_after before the prefix range does not widen the scan.
  EXPECT_EQ(scan("b/", "a", kUnlimited), (Keys{"b/1", "b/2", "b/3", "b/30"}));
  // start_after past the prefix range ends it.
  EXPECT_EQ(scan("b/", "b0", kUnlimited), Keys{});
  EXPECT_EQ(scan("", "b/30", kUnlimited), (Keys{"b0", "c"}));
  EXPECT_EQ(scan("z", "", kUnlimited), Keys{});
  EXPECT_EQ(scan("b/", "", 0), Keys{});

  // Paging with the last key as the next start_after visits every key once.
  Keys paged;
  std::string start_after;
  for (int page = 0; page < 10; ++page) {
    Keys keys = scan("b", start_after, 2);
    if (keys.empty()) break;
    paged.insert(paged.end(), keys.begin(), keys.end());
    start_after = keys.back();
  }
  EXPECT_EQ(paged, (Keys{"b/1", "b/2", "b/3", "b/30", "b0"}));

  // The tables are separate.
  absl::StatusOr<ProjectionDump> state =
      this->store().ScanProjection(ProjectionTable::kState, "b", "", 10);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_THAT(*state, ElementsAre(Pair("b/state-only", "s")));
}

// "greater than start_after" also holds when start_after is the prefix itself
// and a stored key equals it (e.g. paging resumes after an entry named by the
// prefix).
TYPED_TEST(EventStoreContractTest, ScanStartAfterEqualToPrefixSkipsThatKey) {
  AppendRequest request = MakeRequest({MakeEvent("r", "Created", "1")});
  request.projection_writes = {{ProjectionTable::kState, "p", "0"},
                               {ProjectionTable::kState, "p/1", "1"},
                               {ProjectionTable::kState, "p/2", "2"}};
  this->MustAppend(request);
  absl::StatusOr<ProjectionDump> entries =
      this->store().ScanProjection(ProjectionTable::kState, "p", "p", 10);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(*entries, ElementsAre(Pair("p/1", "1"), Pair("p/2", "2")));
}

TYPED_TEST(EventStoreContractTest, EveryEntryChainsToThePreviousOne) {
  this->MustAppend(MakeRequest({MakeEvent("a", "Created", "1")}));
  this->MustAppend(MakeRequest(
      {MakeEvent("b", "Created", "2"), MakeEvent("a", "Changed", "3")}));
  this->MustAppend(MakeRequest({MakeEvent("c", "Created", "4"),
                                MakeEvent("c", "Changed", "5"),
                                MakeEvent("a", "Changed", "6")}));
  std::vector<EventEnvelope> log = ReadWholeLog(this->store());
  ASSERT_EQ(log.size(), 6u);
  EXPECT_EQ(log[0].prev_hash, GenesisHash());
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].position, static_cast<int64_t>(i + 1));
    EXPECT_EQ(log[i].hash, ComputeEventHash(log[i])) << "position " << i + 1;
    if (i > 0) {
      EXPECT_EQ(log[i].prev_hash, log[i - 1].hash) << "position " << i + 1;
      EXPECT_NE(log[i].hash, log[i - 1].hash);
    }
  }
  absl::StatusOr<ChainHead> head = this->store().Head();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->position, 6);
  EXPECT_EQ(head->hash, log.back().hash);
  absl::StatusOr<ChainHead> verified = VerifyChain(this->store());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->position, 6);
  EXPECT_EQ(verified->hash, head->hash);
}

TYPED_TEST(EventStoreContractTest, RejectsEmptyAppend) {
  AppendRequest empty = MakeRequest({});
  empty.idempotency_key = "k";
  empty.projection_writes = {{ProjectionTable::kState, "x", "y"}};
  absl::StatusOr<AppendResult> result = this->store().Append(empty);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
      << result.status();
  ExpectSameSnapshot(TakeSnapshot(this->store(), {}),
                     StoreSnapshot{0, ToHex(GenesisHash()), {}, {}, {}, {}});
  absl::StatusOr<std::optional<std::string>> record =
      this->store().FindIdempotentResponse("k", "");
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(*record, std::nullopt);
}

TYPED_TEST(EventStoreContractTest, RejectsInvalidStreamIds) {
  this->MustAppend(MakeRequest({MakeEvent("a", "Created", "1")}));
  StoreSnapshot before = TakeSnapshot(this->store(), {"a", "b"});
  const std::string with_nul("b\0c", 3);
  for (const std::string& bad : {with_nul, std::string()}) {
    // The bad id is not the first event: nothing of the append may land.
    AppendRequest request = MakeRequest(
        {MakeEvent("a", "Changed", "2"), MakeEvent(bad, "Created", "3")});
    request.projection_writes = {{ProjectionTable::kState, "a", "changed"}};
    absl::StatusOr<AppendResult> result = this->store().Append(request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
        << absl::CEscape(bad) << ": " << result.status();
  }
  ExpectSameSnapshot(before, TakeSnapshot(this->store(), {"a", "b"}));
  EXPECT_EQ(VersionOf(this->store(), "b"), 0);
}

TYPED_TEST(EventStoreContractTest, ReadStreamPagesByVersion) {
  // Seven events of "s", interleaved with another stream.
  for (int i = 1; i <= 7; ++i) {
    this->MustAppend(MakeRequest({MakeEvent("s", "Changed", absl::StrCat(i)),
                                  MakeEvent("t", "Changed", "noise")}));
  }
  auto versions = [this](int64_t from_version, size_t max_count) {
    absl::StatusOr<std::vector<EventEnvelope>> events =
        this->store().ReadStream("s", from_version, max_count);
    EXPECT_TRUE(events.ok()) << events.status();
    std::vector<int64_t> out;
    if (events.ok()) {
      for (const EventEnvelope& event : *events) {
        EXPECT_EQ(event.stream_id, "s");
        EXPECT_EQ(event.payload, absl::StrCat(event.stream_version));
        EXPECT_EQ(event.position, 2 * event.stream_version - 1);
        out.push_back(event.stream_version);
      }
    }
    return out;
  };
  using Versions = std::vector<int64_t>;
  EXPECT_EQ(versions(1, 3), (Versions{1, 2, 3}));
  EXPECT_EQ(versions(4, 3), (Versions{4, 5, 6}));
  EXPECT_EQ(versions(7, 3), (Versions{7}));
  EXPECT_EQ(versions(8, 3), Versions{});
  EXPECT_EQ(versions(3, 0), Versions{});
  EXPECT_EQ(versions(0, 2), (Versions{1, 2}));
  EXPECT_EQ(versions(1, kUnlimited), (Versions{1, 2, 3, 4, 5, 6, 7}));
}

TYPED_TEST(EventStoreContractTest, ReadAllPagesByPosition) {
  for (int i = 1; i <= 5; ++i) {
    this->MustAppend(
        MakeRequest({MakeEvent(absl::StrCat("s", i), "Created", "x")}));
  }
  auto positions = [this](int64_t from_position, size_t max_count) {
    absl::StatusOr<std::vector<EventEnvelope>> events =
        this->store().ReadAll(from_position, max_count);
    EXPECT_TRUE(events.ok()) << events.status();
    std::vector<int64_t> out;
    if (events.ok()) {
      for (const EventEnvelope& event : *events) out.push_back(event.position);
    }
    return out;
  };
  using Positions = std::vector<int64_t>;
  EXPECT_EQ(positions(1, 2), (Positions{1, 2}));
  EXPECT_EQ(positions(3, 2), (Positions{3, 4}));
  EXPECT_EQ(positions(5, 2), (Positions{5}));
  EXPECT_EQ(positions(6, 2), Positions{});
  EXPECT_EQ(positions(2, 0), Positions{});
}

TYPED_TEST(EventStoreContractTest, RebuildReproducesTheLiveProjections) {
  const CountingProjector projector;
  auto append = [&](std::vector<NewEvent> events) {
    absl::StatusOr<AppendResult> result = AppendProjected(
        this->store(), projector, MakeRequest(std::move(events)));
    ASSERT_TRUE(result.ok()) << result.status();
  };
  append({MakeEvent("a", "Created", "a1"), MakeEvent("b", "Created", "b1")});
  append({MakeEvent("a", "Changed", "a2")});
  append({MakeEvent("b", "Reset", "b2"), MakeEvent("b", "Changed", "b3"),
          MakeEvent("a", "Changed", "a3")});
  append({MakeEvent("c", "Created", std::string("c\0", 2))});
  append({MakeEvent("c", "Reset", "c2")});

  const ProjectionDump live_state =
      DumpProjection(this->store(), ProjectionTable::kState);
  const ProjectionDump live_index =
      DumpProjection(this->store(), ProjectionTable::kIndex);
  // The projector really ran: counters (with "c" reset away) and one index
  // entry per event.
  EXPECT_THAT(live_state,
              ElementsAre(Pair("count/a", "3"), Pair("count/b", "1")));
  EXPECT_EQ(live_index.size(), 8u);

  ASSERT_TRUE(this->store().RebuildProjections(projector).ok());
  EXPECT_EQ(DumpProjection(this->store(), ProjectionTable::kState), live_state);
  EXPECT_EQ(DumpProjection(this->store(), ProjectionTable::kIndex), live_index);

  // Corrupt the projections with a bogus append whose event projects nothing
  // but whose writes delete, overwrite and add entries in both tables.
  AppendRequest bogus = MakeRequest({MakeEvent("a", "Noop", "")});
  bogus.projection_writes = {
      {ProjectionTable::kState, "count/a", std::nullopt},
      {ProjectionTable::kState, "count/b", "999"},
      {ProjectionTable::kState, "stray", "x"},
      {ProjectionTable::kIndex, "event/a/00000001", std::nullopt},
      {ProjectionTable::kIndex, "event/b/00000002", "tampered"},
      {ProjectionTable::kIndex, "zzz", "stray"}};
  this->MustAppend(bogus);
  EXPECT_NE(DumpProjection(this->store(), ProjectionTable::kState), live_state);
  EXPECT_NE(DumpProjection(this->store(), ProjectionTable::kIndex), live_index);

  ASSERT_TRUE(this->store().RebuildProjections(projector).ok());
  EXPECT_EQ(DumpProjection(this->store(), ProjectionTable::kState), live_state);
  EXPECT_EQ(DumpProjection(this->store(), ProjectionTable::kIndex), live_index);

  // A rebuild leaves the log alone, and appends work afterwards.
  absl::StatusOr<ChainHead> verified = VerifyChain(this->store());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->position, 9);
  append({MakeEvent("a", "Changed", "a4")});
  absl::StatusOr<std::optional<std::string>> count =
      this->store().GetProjection(ProjectionTable::kState, "count/a");
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, std::optional<std::string>("4"));
}

// A log longer than any reasonable rebuild batch: state carried across
// batches (the running counter) must come out the same.
TYPED_TEST(EventStoreContractTest, RebuildOfALongLogMatchesLiveProjections) {
  const CountingProjector projector;
  int next = 0;
  for (int append = 0; append < 5; ++append) {
    std::vector<NewEvent> events;
    for (int i = 0; i < 501; ++i, ++next) {
      events.push_back(MakeEvent(
          next % 7 == 0 ? "hot" : absl::StrCat("s", next % 3),
          next % 250 == 249 ? "Reset" : "Changed", absl::StrCat("p", next)));
    }
    absl::StatusOr<AppendResult> result = AppendProjected(
        this->store(), projector, MakeRequest(std::move(events)));
    ASSERT_TRUE(result.ok()) << result.status();
  }
  const ProjectionDump live_state =
      DumpProjection(this->store(), ProjectionTable::kState);
  const ProjectionDump live_index =
      DumpProjection(this->store(), ProjectionTable::kIndex);
  EXPECT_EQ(live_index.size(), 2505u);

  // Start from wrong projections so that the rebuild has to replace them.
  AppendRequest bogus = MakeRequest({MakeEvent("x", "Noop", "")});
  bogus.projection_writes = {
      {ProjectionTable::kState, "count/hot", "0"},
      {ProjectionTable::kIndex, "event/hot/00000001", std::nullopt}};
  this->MustAppend(bogus);

  ASSERT_TRUE(this->store().RebuildProjections(projector).ok());
  EXPECT_EQ(DumpProjection(this->store(), ProjectionTable::kState), live_state);
  EXPECT_EQ(DumpProjection(this->store(), ProjectionTable::kIndex), live_index);
}

}  // namespace
}  // namespace riskledger::storage
