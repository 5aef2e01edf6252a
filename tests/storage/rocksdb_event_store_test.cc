// RocksDbEventStore beyond the shared contract: persistence across reopen,
// directory locking and errors, and detection of tampering done on disk.
#include "storage/rocksdb_event_store.h"

#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/chain_verifier.h"
#include "storage/column_families.h"
#include "storage/event_codec.h"
#include "storage/event_store.h"
#include "tests/storage/event_store_test_util.h"
#include "tests/testing/raw_store.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::storage {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<std::unique_ptr<RocksDbEventStore>> OpenStore(
    const std::string& path) {
  RocksDbEventStoreOptions options;
  options.path = path;
  return RocksDbEventStore::Open(options);
}

// Opens a closed store's directory with plain RocksDB, the way an attacker
// with file access could, and hands the events column family to `edit`.
template <typename Edit>
void EditEventsFamily(const std::string& path, Edit edit) {
  riskledger::testing::EditRawStore(
      path, [&](rocksdb::DB& db,
                std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
        edit(db, handles[kEventsFamily]);
      });
}

class RocksDbEventStoreTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.Sub("db"); }

  std::unique_ptr<RocksDbEventStore> MustOpen() {
    absl::StatusOr<std::unique_ptr<RocksDbEventStore>> store =
        OpenStore(path());
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // Rewrites the stored bytes of the log entry at `position` with raw
  // RocksDB, the way an attacker with file access could.
  void RewriteStoredEntry(int64_t position,
                          const std::function<void(std::string&)>& rewrite) {
    EditEventsFamily(
        path(), [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
          const std::string key = EncodeKeyU64(position);
          std::string value;
          ASSERT_TRUE(db.Get(rocksdb::ReadOptions(), cf, key, &value).ok());
          rewrite(value);
          ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf, key, value).ok());
        });
  }

  // Rewrites the idempotency record of `key` with raw RocksDB, the way an
  // attacker with file access could.
  void RewriteIdempotencyRecord(
      const std::string& key,
      const std::function<void(IdempotencyRecord&)>& rewrite) {
    riskledger::testing::EditRawStore(
        path(), [&](rocksdb::DB& db,
                    std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
          rocksdb::ColumnFamilyHandle* family = handles[kIdempotencyFamily];
          std::string value;
          ASSERT_TRUE(db.Get(rocksdb::ReadOptions(), family, key, &value).ok());
          absl::StatusOr<IdempotencyRecord> record =
              DecodeIdempotencyRecord(value);
          ASSERT_TRUE(record.ok()) << record.status();
          rewrite(*record);
          ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), family, key,
                             EncodeIdempotencyRecord(*record))
                          .ok());
        });
  }

  // Reopens the store and expects VerifyChain to report DATA_LOSS naming
  // `position`.
  void ExpectChainBrokenAt(int position) {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    ASSERT_NE(store, nullptr);
    absl::StatusOr<ChainHead> verified = VerifyChain(*store);
    EXPECT_EQ(verified.status().code(), absl::StatusCode::kDataLoss)
        << verified.status();
    EXPECT_THAT(verified.status().ToString(),
                HasSubstr(absl::StrCat("position ", position)));
  }

  // Nine single-event appends over three streams: positions 1..9.
  void WriteNineEvents() {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    ASSERT_NE(store, nullptr);
    for (int i = 1; i <= 9; ++i) {
      absl::StatusOr<AppendResult> result = store->Append(
          MakeRequest({MakeEvent(absl::StrCat("s", i % 3), "Changed",
                                 absl::StrCat("payload-", i))}));
      ASSERT_TRUE(result.ok()) << result.status();
      ASSERT_EQ(result->first_position, i);
    }
    absl::StatusOr<ChainHead> verified = VerifyChain(*store);
    ASSERT_TRUE(verified.ok()) << verified.status();
  }

  riskledger::testing::TempDir dir_;
};

TEST_F(RocksDbEventStoreTest, ReopenKeepsEverythingAndTheChainContinues) {
  const std::vector<std::string> streams = {"a", "b", "c"};
  StoreSnapshot before;
  {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    ASSERT_NE(store, nullptr);
    AppendRequest first =
        MakeRequest({MakeEvent("a", "Created", std::string("a\0 1", 4)),
                     MakeEvent("b", "Created", "b1")});
    first.idempotency_key = "req-1";
    first.audit.request_digest = "digest-1";
    first.response = "response-1";
    first.projection_writes = {{ProjectionTable::kState, "a", "a-state"},
                               {ProjectionTable::kState, "b", "b-state"},
                               {ProjectionTable::kIndex, "prio/1/a", ""}};
    ASSERT_TRUE(store->Append(first).ok());
    AppendRequest second = MakeRequest({MakeEvent("a", "Changed", "a2")});
    second.expectations = {{"a", 1}};
    second.projection_writes = {{ProjectionTable::kState, "b", std::nullopt},
                                {ProjectionTable::kIndex, "prio/2/a", "x"}};
    ASSERT_TRUE(store->Append(second).ok());
    before = TakeSnapshot(*store, streams);
  }
  ASSERT_EQ(before.head_position, 3);
  ASSERT_EQ(before.log.size(), 3u);

  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  ExpectSameSnapshot(before, TakeSnapshot(*store, streams));
  absl::StatusOr<std::optional<std::string>> record =
      store->FindIdempotentResponse("req-1", "digest-1");
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(*record, std::optional<std::string>("response-1"));

  // A retry after the restart is still answered from the record.
  AppendRequest retry = MakeRequest({MakeEvent("a", "Created", "ignored")});
  retry.idempotency_key = "req-1";
  retry.audit.request_digest = "digest-1";
  absl::StatusOr<AppendResult> replayed = store->Append(retry);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_TRUE(replayed->replayed);
  EXPECT_EQ(replayed->first_position, 1);
  EXPECT_EQ(replayed->last_position, 2);
  EXPECT_EQ(replayed->response, "response-1");
  retry.audit.request_digest = "digest-2";
  EXPECT_EQ(store->Append(retry).status().code(),
            absl::StatusCode::kAlreadyExists);

  // Versions survived: the expectation checks use them.
  AppendRequest stale = MakeRequest({MakeEvent("a", "Changed", "x")});
  stale.expectations = {{"a", kNoStream}};
  EXPECT_EQ(store->Append(stale).status().code(), absl::StatusCode::kAborted);

  // New appends continue the chain from the persisted head.
  AppendRequest next = MakeRequest(
      {MakeEvent("a", "Changed", "a3"), MakeEvent("c", "Created", "c1")});
  next.expectations = {{"a", 2}};
  absl::StatusOr<AppendResult> appended = store->Append(next);
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_EQ(appended->first_position, 4);
  EXPECT_EQ(appended->last_position, 5);
  std::vector<EventEnvelope> log = ReadWholeLog(*store);
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[3].prev_hash, log[2].hash);
  EXPECT_EQ(log[3].stream_version, 3);
  EXPECT_EQ(log[4].stream_version, 1);
  absl::StatusOr<ChainHead> verified = VerifyChain(*store);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->position, 5);
  EXPECT_EQ(verified->hash, log[4].hash);

  // And survive a second restart too.
  store.reset();
  store = MustOpen();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<ChainHead> head = store->Head();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->position, 5);
  EXPECT_EQ(head->hash, log[4].hash);
  verified = VerifyChain(*store);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->position, 5);
}

// Within one group the projection read check sees the writes of the appends
// staged before it, not only the database: a command that read a value an
// earlier append of its group changes is refused, one that read the new
// value is not.
TEST_F(RocksDbEventStoreTest, ProjectionReadCheckSeesEarlierAppendsOfItsGroup) {
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  AppendRequest first = MakeRequest({MakeEvent("a", "Counted", "1")});
  first.projection_writes = {{ProjectionTable::kState, "total", "1"}};
  AppendRequest stale = MakeRequest({MakeEvent("b", "Counted", "1")});
  stale.projection_reads = {{ProjectionTable::kState, "total", std::nullopt}};
  stale.projection_writes = {{ProjectionTable::kState, "total", "1"}};
  AppendRequest fresh = MakeRequest({MakeEvent("c", "Counted", "1")});
  fresh.projection_reads = {{ProjectionTable::kState, "total", "1"}};
  fresh.projection_writes = {{ProjectionTable::kState, "total", "2"}};
  std::vector<absl::StatusOr<AppendResult>> results =
      store->AppendGroupForTesting({first, stale, fresh});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok()) << results[0].status();
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(results[2].ok()) << results[2].status();
  EXPECT_EQ(*store->StreamVersion("b"), 0);
  EXPECT_EQ(store->GetProjection(ProjectionTable::kState, "total")->value(),
            "2");
  EXPECT_EQ(store->Head()->position, 2);
}

TEST_F(RocksDbEventStoreTest, CloseReleasesTheDirectoryAndRefusesAppends) {
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      store->Append(MakeRequest({MakeEvent("s", "Changed", "p")})).ok());
  EXPECT_TRUE(store->Close().ok());
  EXPECT_TRUE(store->Close().ok());  // idempotent
  EXPECT_EQ(store->Append(MakeRequest({MakeEvent("s", "Changed", "q")}))
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
  // The lock is gone: the directory opens again with the first append in it.
  std::unique_ptr<RocksDbEventStore> reopened = MustOpen();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(*reopened->StreamVersion("s"), 1);
}

// Fails on the fifth event, like a crash in the middle of a rebuild.
class FailingProjector : public Projector {
 public:
  absl::Status Apply(const EventEnvelope& event,
                     ProjectionView& view) const override {
    if (event.position == 5) return absl::InternalError("power cut");
    view.Put(ProjectionTable::kState, event.stream_id, event.payload);
    return absl::OkStatus();
  }
};

class CopyingProjector : public Projector {
 public:
  absl::Status Apply(const EventEnvelope& event,
                     ProjectionView& view) const override {
    view.Put(ProjectionTable::kState, event.stream_id, event.payload);
    return absl::OkStatus();
  }
};

TEST_F(RocksDbEventStoreTest, InterruptedRebuildIsRefusedUntilRebuiltAgain) {
  ASSERT_NO_FATAL_FAILURE(WriteNineEvents());
  {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->RebuildProjections(FailingProjector()).code(),
              absl::StatusCode::kInternal);
  }
  absl::StatusOr<std::unique_ptr<RocksDbEventStore>> refused =
      OpenStore(path());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("--rebuild_projections"));

  RocksDbEventStoreOptions rebuild;
  rebuild.path = path();
  rebuild.allow_incomplete_projections = true;
  {
    absl::StatusOr<std::unique_ptr<RocksDbEventStore>> store =
        RocksDbEventStore::Open(rebuild);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->RebuildProjections(CopyingProjector()).ok());
  }
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->GetProjection(ProjectionTable::kState, "s0")->value_or(""),
            "payload-9");
}

TEST_F(RocksDbEventStoreTest, OpenWithoutCreateRefusesAMissingStore) {
  RocksDbEventStoreOptions options;
  options.path = path();
  options.create_if_missing = false;
  EXPECT_EQ(RocksDbEventStore::Open(options).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(RocksDbEventStoreTest, SecondOpenOfAnOpenDirectoryFails) {
  std::unique_ptr<RocksDbEventStore> first = MustOpen();
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(
      first->Append(MakeRequest({MakeEvent("a", "Created", "1")})).ok());

  absl::StatusOr<std::unique_ptr<RocksDbEventStore>> second = OpenStore(path());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition)
      << second.status();

  // The failed open did not disturb the first store.
  ASSERT_TRUE(
      first->Append(MakeRequest({MakeEvent("a", "Changed", "2")})).ok());
  EXPECT_EQ(VersionOf(*first, "a"), 2);
  first.reset();
  std::unique_ptr<RocksDbEventStore> reopened = MustOpen();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(VersionOf(*reopened, "a"), 2);
}

TEST_F(RocksDbEventStoreTest, DataDirectoryThatIsAFileFails) {
  const std::string file = dir_.Sub("not-a-dir");
  std::ofstream(file) << "plain file";
  absl::StatusOr<std::unique_ptr<RocksDbEventStore>> store = OpenStore(file);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
  absl::StatusOr<std::unique_ptr<RocksDbEventStore>> under =
      OpenStore(file + "/db");
  EXPECT_EQ(under.status().code(), absl::StatusCode::kFailedPrecondition)
      << under.status();
}

// One event on `stream`, retried under `key`, with its request digest and
// the response stored for retries.
AppendRequest IdempotentRequest(const std::string& stream,
                                const std::string& key,
                                const std::string& digest,
                                const std::string& response) {
  AppendRequest request = MakeRequest({MakeEvent(stream, "Created", "p")});
  request.idempotency_key = key;
  request.audit.request_digest = digest;
  request.response = response;
  return request;
}

// M14: every entry records the digest of the response its command returned,
// and a retry is answered only with a stored response that matches it.
TEST_F(RocksDbEventStoreTest, AnAlteredStoredResponseIsRefusedNotReplayed) {
  const AppendRequest request =
      IdempotentRequest("s", "key-1", "digest-1", "the first answer");
  {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Append(request).ok());
    std::vector<EventEnvelope> log = ReadWholeLog(*store);
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0].response_digest,
              ResponseDigest(request.audit.method, "the first answer"));
    absl::StatusOr<AppendResult> retry = store->Append(request);
    ASSERT_TRUE(retry.ok()) << retry.status();
    EXPECT_TRUE(retry->replayed);
    EXPECT_EQ(retry->response, "the first answer");
  }
  // Someone with file access replaces the stored answer.
  RewriteIdempotencyRecord("key-1", [](IdempotencyRecord& record) {
    record.response = "a forged answer";
  });

  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<AppendResult> retry = store->Append(request);
  EXPECT_EQ(retry.status().code(), absl::StatusCode::kDataLoss)
      << retry.status();
  EXPECT_THAT(retry.status().message(), HasSubstr("log position 1"));
  absl::StatusOr<std::optional<std::string>> found =
      store->FindIdempotentResponse("key-1", "digest-1");
  EXPECT_EQ(found.status().code(), absl::StatusCode::kDataLoss)
      << found.status();
  EXPECT_EQ(ReadWholeLog(*store).size(), 1U);  // the retry wrote nothing
}

// A record pointed at another command's entry, with that command's answer,
// is refused too: the entry records another request digest.
TEST_F(RocksDbEventStoreTest, ARecordPointedAtAnotherEntryIsRefused) {
  const AppendRequest first =
      IdempotentRequest("s", "key-1", "digest-1", "answer 1");
  const AppendRequest second =
      IdempotentRequest("t", "key-2", "digest-2", "answer 2");
  {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Append(first).ok());
    ASSERT_TRUE(store->Append(second).ok());
  }
  RewriteIdempotencyRecord("key-1", [](IdempotencyRecord& record) {
    record.response = "answer 2";
    record.first_position = 2;
    record.last_position = 2;
  });
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<AppendResult> retry = store->Append(first);
  EXPECT_EQ(retry.status().code(), absl::StatusCode::kDataLoss)
      << retry.status();
  EXPECT_THAT(retry.status().message(),
              HasSubstr("log position 2: the entry answered another request"));
}

TEST(EventCodecTest, TheResponseDigestRoundTripsAndRle1IsRefusedByName) {
  EventEnvelope event;
  event.position = 1;
  event.stream_id = "s";
  event.stream_version = 1;
  event.method = "/m";
  event.response_digest = ResponseDigest("/m", "answer");
  event.prev_hash = GenesisHash();
  event.hash = ComputeEventHash(event);
  std::string stored = EncodeEvent(event);
  ASSERT_EQ(stored.substr(0, 4), "RLE2");
  absl::StatusOr<EventEnvelope> decoded = DecodeEvent(stored);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(Describe(*decoded), Describe(event));
  EXPECT_EQ(event.response_digest,
            ToHex(Sha256(absl::StrCat("/m", "\n", "answer"))));

  stored.replace(0, 4, "RLE1");
  absl::StatusOr<EventEnvelope> earlier = DecodeEvent(stored);
  EXPECT_EQ(earlier.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(earlier.status().message(), HasSubstr("RLE1"));
}

TEST_F(RocksDbEventStoreTest, FlippedPayloadByteIsDataLossAtThatPosition) {
  ASSERT_NO_FATAL_FAILURE(WriteNineEvents());
  ASSERT_NO_FATAL_FAILURE(RewriteStoredEntry(4, [](std::string& value) {
    // The payload sits just before the two hashes (EVENT_FORMAT.md).
    const std::string payload = "payload-4";
    const size_t offset = value.size() - 2 * kHashSize - payload.size();
    ASSERT_EQ(value.substr(offset, payload.size()), payload);
    value[offset] ^= 0x01;  // "payload-4" -> "qayload-4"
  }));

  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<EventEnvelope>> tampered = store->ReadAll(4, 1);
  ASSERT_TRUE(tampered.ok()) << tampered.status();
  ASSERT_EQ(tampered->size(), 1u);
  EXPECT_EQ((*tampered)[0].payload, "qayload-4");
  absl::StatusOr<ChainHead> verified = VerifyChain(*store);
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kDataLoss)
      << verified.status();
  EXPECT_THAT(verified.status().ToString(), HasSubstr("position 4"));
}

TEST_F(RocksDbEventStoreTest, TamperingThatRecomputesTheHashBreaksTheNextLink) {
  ASSERT_NO_FATAL_FAILURE(WriteNineEvents());
  ASSERT_NO_FATAL_FAILURE(RewriteStoredEntry(4, [](std::string& value) {
    absl::StatusOr<EventEnvelope> event = DecodeEvent(value);
    ASSERT_TRUE(event.ok()) << event.status();
    event->payload = "forged";
    event->hash = ComputeEventHash(*event);  // self-consistent entry
    value = EncodeEvent(*event);
  }));

  ExpectChainBrokenAt(5);
}

TEST_F(RocksDbEventStoreTest, DeletedEventIsDataLossAtThatPosition) {
  ASSERT_NO_FATAL_FAILURE(WriteNineEvents());
  ASSERT_NO_FATAL_FAILURE(EditEventsFamily(
      path(), [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
        ASSERT_TRUE(
            db.Delete(rocksdb::WriteOptions(), cf, EncodeKeyU64(5)).ok());
      }));

  ExpectChainBrokenAt(5);
  // Reading the stream that lost the entry (s2: positions 2, 5, 8) reports
  // the loss instead of silently skipping a version.
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<EventEnvelope>> stream =
      store->ReadStream("s2", 1, 10);
  EXPECT_EQ(stream.status().code(), absl::StatusCode::kDataLoss)
      << stream.status();
}

// An entry that no longer parses is as broken as one whose hash is wrong:
// VerifyChain must still say where (chain_verifier.h: "DATA_LOSS naming the
// first broken position").
TEST_F(RocksDbEventStoreTest, TruncatedEntryIsDataLossAtThatPosition) {
  ASSERT_NO_FATAL_FAILURE(WriteNineEvents());
  ASSERT_NO_FATAL_FAILURE(
      RewriteStoredEntry(4, [](std::string& value) { value.pop_back(); }));

  ExpectChainBrokenAt(4);
}

TEST_F(RocksDbEventStoreTest, UnreadableLastEntryFailsOpenWithDataLoss) {
  ASSERT_NO_FATAL_FAILURE(WriteNineEvents());
  ASSERT_NO_FATAL_FAILURE(EditEventsFamily(
      path(), [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
        ASSERT_TRUE(
            db.Put(rocksdb::WriteOptions(), cf, EncodeKeyU64(9), "not an entry")
                .ok());
      }));
  absl::StatusOr<std::unique_ptr<RocksDbEventStore>> store = OpenStore(path());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss)
      << store.status();
}

}  // namespace
}  // namespace riskledger::storage
