// Tampering with a closed store, each kind detected by VerifyLog (and by the
// start-up check where it concerns entries after the latest checkpoint),
// naming the first bad position; checkpoints are signed only over a log
// consistent with the previous one; a damaged store refuses writes (M14).
#include "storage/log_verifier.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/audit/checkpoint.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/merkle_tiles.h"
#include "storage/audit/proof_verifier.h"
#include "storage/audit/sha256.h"
#include "storage/audit/signed_note.h"
#include "storage/audit_family_keys.h"
#include "storage/backup.h"
#include "storage/checkpointer.h"
#include "storage/column_families.h"
#include "storage/event_codec.h"
#include "storage/rocksdb_event_store.h"
#include "tests/storage/event_store_test_util.h"
#include "tests/testing/raw_store.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::storage {
namespace {

using ::testing::HasSubstr;

constexpr int kEntries = 40;
constexpr int kCheckpointed = 20;

audit::NoteSigner Signer(const std::string& seed) {
  return audit::NoteSigner::FromSeed("riskledger.test/log",
                                     audit::Sha256(seed))
      .value();
}

using riskledger::testing::EditRawStore;

std::string Get(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family,
                const std::string& key) {
  std::string value;
  EXPECT_TRUE(db.Get(rocksdb::ReadOptions(), family, key, &value).ok());
  return value;
}

class LogVerifierTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.Sub("db"); }

  std::unique_ptr<RocksDbEventStore> MustOpen(const std::string& path) {
    RocksDbEventStoreOptions options;
    options.path = path;
    absl::StatusOr<std::unique_ptr<RocksDbEventStore>> store =
        RocksDbEventStore::Open(options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }
  std::unique_ptr<RocksDbEventStore> MustOpen() { return MustOpen(path()); }

  static void Append(RocksDbEventStore& store, int i,
                     const std::string& payload_prefix = "payload-") {
    absl::StatusOr<AppendResult> result = store.Append(MakeRequest(
        {MakeEvent(absl::StrCat("s", i % 3), "Changed",
                   absl::StrCat(payload_prefix, i))}));
    ASSERT_TRUE(result.ok()) << result.status();
  }

  // Forty entries over three streams, a checkpoint after twenty.
  void WriteLog() {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    ASSERT_NE(store, nullptr);
    Checkpointer checkpointer(*store, Signer("k"), {verifier_});
    for (int i = 1; i <= kEntries; ++i) {
      ASSERT_NO_FATAL_FAILURE(Append(*store, i));
      if (i == kCheckpointed) {
        absl::StatusOr<StoredCheckpoint> checkpoint =
            checkpointer.Checkpoint(absl::Now());
        ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
        ASSERT_EQ(checkpoint->size, kCheckpointed);
      }
    }
    absl::StatusOr<LogVerification> verified = VerifyLog(*store, {verifier_});
    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_EQ(verified->head.position, kEntries);
    EXPECT_EQ(verified->checkpoints, 1);
    EXPECT_EQ(verified->tree.root, store->DurableTree().root);
  }

  void RewriteEntry(int64_t position,
                    const std::function<void(std::string&)>& rewrite) {
    EditRawStore(path(), [&](rocksdb::DB& db, auto& handles) {
      const std::string key = EncodeKeyU64(position);
      std::string value = Get(db, handles[kEventsFamily], key);
      rewrite(value);
      ASSERT_TRUE(
          db.Put(rocksdb::WriteOptions(), handles[kEventsFamily], key, value)
              .ok());
    });
  }

  // Both the full check and (if `since_checkpoint`) the start-up check name
  // `position`; the store refuses writes once told.
  void ExpectDamageAt(const std::string& where, bool since_checkpoint) {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    ASSERT_NE(store, nullptr);
    absl::StatusOr<LogVerification> full = VerifyLog(*store, {verifier_});
    EXPECT_EQ(full.status().code(), absl::StatusCode::kDataLoss)
        << full.status();
    EXPECT_THAT(full.status().message(), HasSubstr(where));
    absl::StatusOr<LogVerification> startup =
        VerifySinceLatestCheckpoint(*store, {verifier_});
    if (since_checkpoint) {
      EXPECT_EQ(startup.status().code(), absl::StatusCode::kDataLoss)
          << startup.status();
      EXPECT_THAT(startup.status().message(), HasSubstr(where));
    } else {
      EXPECT_TRUE(startup.ok()) << startup.status();
    }
    store->RefuseWrites(full.status());
    absl::StatusOr<AppendResult> refused =
        store->Append(MakeRequest({MakeEvent("s1", "Changed", "after")}));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition)
        << refused.status();
    EXPECT_EQ(store->DurableTree().size, kEntries);
  }

  // `entries` entries with payloads starting `payload_prefix`, a
  // checkpoint after `checkpointed`.
  void WriteLongLog(int entries, int checkpointed,
                    const std::string& payload_prefix) {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    ASSERT_NE(store, nullptr);
    Checkpointer checkpointer(*store, Signer("k"), {verifier_});
    for (int i = 1; i <= entries; ++i) {
      ASSERT_NO_FATAL_FAILURE(Append(*store, i, payload_prefix));
      if (i == checkpointed) {
        ASSERT_TRUE(checkpointer.Checkpoint(absl::Now()).ok());
      }
    }
  }

  // The full check's status; DATA_LOSS unless the start-up check (from the
  // latest checkpoint) gives the same.
  absl::Status VerifyBoth() {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    if (store == nullptr) return absl::InternalError("not opened");
    absl::Status full = VerifyLog(*store, {verifier_}).status();
    absl::Status startup =
        VerifySinceLatestCheckpoint(*store, {verifier_}).status();
    if (full != startup) {
      return absl::DataLossError(absl::StrCat("the checks differ: ",
                                              full.ToString(), " and ",
                                              startup.ToString()));
    }
    return full;
  }

  riskledger::testing::TempDir dir_;
  audit::NoteVerifier verifier_ = Signer("k").verifier();
};

TEST_F(LogVerifierTest, AnUntouchedLogVerifiesFullyAndSinceItsCheckpoint) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<LogVerification> startup =
      VerifySinceLatestCheckpoint(*store, {verifier_});
  ASSERT_TRUE(startup.ok()) << startup.status();
  EXPECT_EQ(startup->first_position, kCheckpointed + 1);
  EXPECT_EQ(startup->head.position, kEntries);
  EXPECT_EQ(startup->tree.root, store->DurableTree().root);
  // The tree goes on after reopening: the next append keeps it verifiable.
  ASSERT_NO_FATAL_FAILURE(Append(*store, kEntries + 1));
  EXPECT_TRUE(VerifyLog(*store, {verifier_}).ok());
}

TEST_F(LogVerifierTest, AFlippedByteIsFoundAtItsPosition) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  ASSERT_NO_FATAL_FAILURE(
      RewriteEntry(30, [](std::string& value) { value[40] ^= 0x01; }));
  ExpectDamageAt("position 30", /*since_checkpoint=*/true);
}

// Entries are decoded and hashed a chunk (512) ahead on a second thread: a
// log of several chunks verifies whole, damage in its last, partial chunk
// is found, and of two damaged entries in different chunks the first in log
// order is named.
// The start-up check (since the checkpoint at position 100) and the full
// check both name the damage.
TEST_F(LogVerifierTest, DamageIsNamedInLogOrderAcrossChunks) {
  ASSERT_NO_FATAL_FAILURE(WriteLongLog(1300, 100, "payload-"));
  EXPECT_TRUE(VerifyBoth().ok()) << VerifyBoth();
  ASSERT_NO_FATAL_FAILURE(
      RewriteEntry(1250, [](std::string& value) { value[40] ^= 0x01; }));
  EXPECT_THAT(VerifyBoth().message(), HasSubstr("position 1250:"));
  ASSERT_NO_FATAL_FAILURE(
      RewriteEntry(700, [](std::string& value) { value[40] ^= 0x01; }));
  EXPECT_THAT(VerifyBoth().message(), HasSubstr("position 700:"));
}

// A chunk is also handed over once its entries reach 4 MiB: a log of large
// entries verifies, and its damage is named.
TEST_F(LogVerifierTest, DamageAmongLargeEntriesIsNamed) {
  ASSERT_NO_FATAL_FAILURE(WriteLongLog(48, 10, std::string(256 << 10, 'x')));
  EXPECT_TRUE(VerifyBoth().ok()) << VerifyBoth();
  ASSERT_NO_FATAL_FAILURE(
      RewriteEntry(33, [](std::string& value) { value[40] ^= 0x01; }));
  EXPECT_THAT(VerifyBoth().message(), HasSubstr("position 33:"));
}

TEST_F(LogVerifierTest, AFlippedByteBeforeTheCheckpointIsFoundByTheFullCheck) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  ASSERT_NO_FATAL_FAILURE(
      RewriteEntry(5, [](std::string& value) { value[40] ^= 0x01; }));
  ExpectDamageAt("position 5", /*since_checkpoint=*/false);
}

TEST_F(LogVerifierTest, AnEntryRewrittenWithAValidHashIsFoundAtItsPosition) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  ASSERT_NO_FATAL_FAILURE(RewriteEntry(30, [](std::string& value) {
    EventEnvelope event = DecodeEvent(value).value();
    event.payload = "forged";
    event.hash = ComputeEventHash(event);
    value = EncodeEvent(event);
  }));
  ExpectDamageAt("position 30", /*since_checkpoint=*/true);
}

TEST_F(LogVerifierTest, ADeletedEntryIsFoundAtItsPosition) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  EditRawStore(path(), [](rocksdb::DB& db, auto& handles) {
    ASSERT_TRUE(db.Delete(rocksdb::WriteOptions(), handles[kEventsFamily],
                          EncodeKeyU64(25))
                    .ok());
  });
  ExpectDamageAt("position 25", /*since_checkpoint=*/true);
}

TEST_F(LogVerifierTest, ReorderedEntriesAreFoundAtTheFirst) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  EditRawStore(path(), [](rocksdb::DB& db, auto& handles) {
    const std::string a = Get(db, handles[kEventsFamily], EncodeKeyU64(26));
    const std::string b = Get(db, handles[kEventsFamily], EncodeKeyU64(27));
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), handles[kEventsFamily],
                       EncodeKeyU64(26), b)
                    .ok());
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), handles[kEventsFamily],
                       EncodeKeyU64(27), a)
                    .ok());
  });
  ExpectDamageAt("position 26", /*since_checkpoint=*/true);
}

TEST_F(LogVerifierTest, AnInsertedEntryIsFoundAtItsPosition) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  // Entries 25..40 move up one place; a forged, self-consistent entry
  // takes position 25. The tree is extended to match, as a careful forger
  // would; only the recomputation can tell.
  EditRawStore(path(), [](rocksdb::DB& db, auto& handles) {
    for (int position = kEntries; position >= 25; --position) {
      ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), handles[kEventsFamily],
                         EncodeKeyU64(position + 1),
                         Get(db, handles[kEventsFamily],
                             EncodeKeyU64(position)))
                      .ok());
    }
    EventEnvelope forged =
        DecodeEvent(Get(db, handles[kEventsFamily], EncodeKeyU64(24)))
            .value();
    forged.position = 25;
    forged.prev_hash = forged.hash;
    forged.payload = "inserted";
    forged.hash = ComputeEventHash(forged);
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), handles[kEventsFamily],
                       EncodeKeyU64(25), EncodeEvent(forged))
                    .ok());
  });
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  // The tree has no leaf for the 41st entry: the store opens refusing
  // writes, and the full check names the first bad position.
  EXPECT_EQ(store->integrity_fault().code(), absl::StatusCode::kDataLoss)
      << store->integrity_fault();
  absl::StatusOr<LogVerification> full = VerifyLog(*store, {verifier_});
  EXPECT_THAT(full.status().message(), HasSubstr("position 25"));
  absl::StatusOr<AppendResult> refused =
      store->Append(MakeRequest({MakeEvent("s1", "Changed", "after")}));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LogVerifierTest, TheTreeIsStoredAsTilesWrittenOncePerGroup) {
  // Forty single-entry groups: three tiles of leaves (16, 16, 8) and one of
  // level-4 nodes (2); no per-node keys.
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  std::map<std::string, size_t> tiles;
  EditRawStore(path(), [&](rocksdb::DB& db, auto& handles) {
    std::unique_ptr<rocksdb::Iterator> it(
        db.NewIterator(rocksdb::ReadOptions(), handles[kAuditFamily]));
    for (it->Seek(std::string(1, kTreeTileTag));
         it->Valid() && it->key()[0] == kTreeTileTag; it->Next()) {
      tiles[it->key().ToString()] = it->value().size();
    }
  });
  EXPECT_EQ(tiles, (std::map<std::string, size_t>{
                       {TreeTileKey({0, 0}), 16 * audit::kHashSize},
                       {TreeTileKey({0, 1}), 16 * audit::kHashSize},
                       {TreeTileKey({0, 2}), 8 * audit::kHashSize},
                       {TreeTileKey({1, 0}), 2 * audit::kHashSize}}));
}

TEST_F(LogVerifierTest, AChangedTileIsFoundAtTheFirstPositionItNoLongerFits) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  // The leaf of position 20 (tile 0/1, slot 3).
  EditRawStore(path(), [](rocksdb::DB& db, auto& handles) {
    const std::string key = TreeTileKey({0, 1});
    std::string tile = Get(db, handles[kAuditFamily], key);
    tile[3 * audit::kHashSize] ^= 0x01;
    ASSERT_TRUE(
        db.Put(rocksdb::WriteOptions(), handles[kAuditFamily], key, tile).ok());
  });
  // The full check names the leaf; the start-up check finds the
  // checkpoint of size 20 no longer matching the stored tree.
  ExpectDamageAt("position 20", /*since_checkpoint=*/true);
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(VerifyLog(*store, {verifier_}).status().message(),
              HasSubstr("position 20: the entry differs from the Merkle "
                        "tree's leaf"));
}

TEST_F(LogVerifierTest, AChangedUpperTileIsFoundAtTheNodeItNoLongerFits) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  // Node 4/1 (positions 17 to 32), the second hash of tile 1/0.
  EditRawStore(path(), [](rocksdb::DB& db, auto& handles) {
    const std::string key = TreeTileKey({1, 0});
    std::string tile = Get(db, handles[kAuditFamily], key);
    tile[audit::kHashSize] ^= 0x01;
    ASSERT_TRUE(
        db.Put(rocksdb::WriteOptions(), handles[kAuditFamily], key, tile).ok());
  });
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<LogVerification> full = VerifyLog(*store, {verifier_});
  EXPECT_EQ(full.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(full.status().message(),
              HasSubstr("position 17: the Merkle tree's node 4/1 differs"));
}

TEST_F(LogVerifierTest, AForgedCheckpointIsRejected) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  EditRawStore(path(), [](rocksdb::DB& db, auto& handles) {
    // Signed by another key under the same name, root of another log.
    audit::Checkpoint forged{"riskledger.test/log", kCheckpointed,
                             audit::Sha256("another history"), {}};
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), handles[kAuditFamily],
                       CheckpointKey(kCheckpointed),
                       Signer("attacker")
                           .Sign(audit::FormatCheckpoint(forged))
                           .value())
                    .ok());
  });
  ExpectDamageAt("checkpoint of tree size 20", /*since_checkpoint=*/true);
}

TEST_F(LogVerifierTest, ATreeRewrittenUnderASignedCheckpointIsCaught) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  // Entry 5 rewritten, and the whole chain and tree after it recomputed:
  // only the signed checkpoint still remembers the original history.
  EditRawStore(path(), [](rocksdb::DB& db, auto& handles) {
    audit::TiledTree tree;
    auto store = [&](audit::TileId tile, const std::string& hashes) {
      ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), handles[kAuditFamily],
                         TreeTileKey(tile), hashes)
                      .ok());
    };
    std::string prev = GenesisHash();
    for (int position = 1; position <= kEntries; ++position) {
      EventEnvelope event =
          DecodeEvent(Get(db, handles[kEventsFamily], EncodeKeyU64(position)))
              .value();
      if (position == 5) event.payload = "rewritten";
      event.prev_hash = prev;
      event.hash = ComputeEventHash(event);
      prev = event.hash;
      const std::string entry = EncodeEvent(event);
      ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), handles[kEventsFamily],
                         EncodeKeyU64(position), entry)
                      .ok());
      tree.Append(audit::LeafHash(entry), store);
    }
    tree.TakeChangedEdges(store);
  });
  ExpectDamageAt("checkpoint of tree size 20", /*since_checkpoint=*/true);
}

TEST_F(LogVerifierTest, TruncatedLogIsCaughtByItsCheckpoint) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    Checkpointer checkpointer(*store, Signer("k"), {verifier_});
    ASSERT_TRUE(checkpointer.Checkpoint(absl::Now()).ok());
  }
  EditRawStore(path(), [](rocksdb::DB& db, auto& handles) {
    for (int position = 31; position <= kEntries; ++position) {
      ASSERT_TRUE(db.Delete(rocksdb::WriteOptions(), handles[kEventsFamily],
                            EncodeKeyU64(position))
                      .ok());
    }
  });
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->integrity_fault().ok());
  absl::StatusOr<LogVerification> startup =
      VerifySinceLatestCheckpoint(*store, {verifier_});
  EXPECT_THAT(startup.status().message(), HasSubstr("were removed"));
}

TEST_F(LogVerifierTest, ARolledBackDataDirectoryIsCaughtByAKeptCheckpoint) {
  // The operator copies the data directory at 20 entries, the log grows to
  // 40 and a client keeps that checkpoint; then the copy is put back and
  // grows another history.
  std::string old_copy = dir_.Sub("copy");
  {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    for (int i = 1; i <= kCheckpointed; ++i) Append(*store, i);
    ASSERT_TRUE(store->CreateBackup(dir_.Sub("backups")).ok());
  }
  audit::Checkpoint kept;
  {
    std::unique_ptr<RocksDbEventStore> store = MustOpen();
    for (int i = kCheckpointed + 1; i <= kEntries; ++i) Append(*store, i);
    Checkpointer checkpointer(*store, Signer("k"), {verifier_});
    StoredCheckpoint stored = checkpointer.Checkpoint(absl::Now()).value();
    kept = audit::ParseCheckpoint(
               audit::OpenNote(stored.note, {verifier_}).value())
               .value();
  }
  ASSERT_TRUE(RestoreBackup(dir_.Sub("backups"), 0, old_copy).ok());
  std::unique_ptr<RocksDbEventStore> rolled_back = MustOpen(old_copy);
  ASSERT_NE(rolled_back, nullptr);
  for (int i = kCheckpointed + 1; i <= kEntries + 5; ++i) {
    Append(*rolled_back, i, "other-");
  }
  const TreeHead now = rolled_back->DurableTree();
  absl::StatusOr<std::vector<std::string>> proof =
      rolled_back->ConsistencyProof(kEntries, now.size);
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_EQ(audit::VerifyConsistency(kEntries, now.size, *proof,
                                     kept.root_hash, now.root)
                .code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(LogVerifierTest, NoCheckpointIsSignedOverAnInconsistentTree) {
  ASSERT_NO_FATAL_FAILURE(WriteLog());
  // A stored subtree inside the checkpointed range is replaced: node 4/0,
  // the first hash of tile 1/0.
  EditRawStore(path(), [](rocksdb::DB& db, auto& handles) {
    const std::string key = TreeTileKey(audit::TileId{1, 0});
    std::string tile = Get(db, handles[kAuditFamily], key);
    ASSERT_GE(tile.size(), audit::kHashSize);
    tile.replace(0, audit::kHashSize, audit::Sha256("replaced subtree"));
    ASSERT_TRUE(
        db.Put(rocksdb::WriteOptions(), handles[kAuditFamily], key, tile).ok());
  });
  std::unique_ptr<RocksDbEventStore> store = MustOpen();
  ASSERT_NE(store, nullptr);
  Checkpointer checkpointer(*store, Signer("k"), {verifier_});
  absl::StatusOr<StoredCheckpoint> refused =
      checkpointer.Checkpoint(absl::Now());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss)
      << refused.status();
  EXPECT_EQ(store->LatestCheckpoint().value()->size, kCheckpointed);
  EXPECT_EQ(store->integrity_fault().code(), absl::StatusCode::kDataLoss);
  absl::StatusOr<AppendResult> append =
      store->Append(MakeRequest({MakeEvent("s1", "Changed", "after")}));
  EXPECT_EQ(append.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace riskledger::storage
