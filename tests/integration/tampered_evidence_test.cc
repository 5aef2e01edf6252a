// Evidence from a tampered store (M14): a stopped server's data directory is
// edited the way someone with file access could (a byte flipped, an entry
// rewritten with a valid hash, deleted, reordered; the whole directory rolled
// back to an older copy). Every case is caught by the offline verifier — a
// bundle exported from the damaged store fails naming the position, or a
// rollback fails against a checkpoint the auditor kept — or the server
// refuses to export, naming the damage; VerifyLog names the position, and
// after it the server refuses writes.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/column_families.h"
#include "storage/event_codec.h"
#include "tests/integration/evidence_fixture.h"
#include "tests/integration/valid_requests.h"
#include "tests/testing/raw_store.h"

namespace riskledger::integration {
namespace {

using ::testing::HasSubstr;
using Stub = v1::AssessmentService::Stub;

class TamperedEvidenceTest : public EvidenceTest {
 protected:
  // The log position of the tenant's first impact analysis: an entry in the
  // scope of a tenant bundle, neither first nor last.
  int64_t TargetPosition() {
    v1::ListAuditEntriesRequest request;
    request.set_parent(kTenant);
    request.set_filter("event_type = \"ImpactAnalysisRecorded\"");
    grpc::ClientContext context;
    v1::ListAuditEntriesResponse response;
    EXPECT_TRUE(audit().ListAuditEntries(&context, request, &response).ok());
    EXPECT_GT(response.entries_size(), 0);
    return response.entries_size() == 0
               ? 0
               : response.entries(0).audit().log_position();
  }

  v1::Checkpoint MakeCheckpoint() {
    grpc::ClientContext context;
    v1::Checkpoint checkpoint;
    EXPECT_TRUE(audit()
                    .CreateCheckpoint(&context, v1::CreateCheckpointRequest(),
                                       &checkpoint)
                    .ok());
    return checkpoint;
  }

  // With the server stopped, edits the events column family with raw
  // RocksDB; the server is started again on the result.
  template <typename Edit>
  void TamperWithEntries(Edit edit) {
    StopServer();
    riskledger::testing::EditRawStore(
        data_dir(), [&](rocksdb::DB& db,
                        std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
          edit(db, handles[storage::kEventsFamily]);
        });
    StartServer();
  }

  static std::string Get(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events,
                         int64_t position) {
    std::string value;
    EXPECT_TRUE(db.Get(rocksdb::ReadOptions(), events,
                       storage::EncodeKeyU64(position), &value)
                    .ok());
    return value;
  }
  static void Put(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events,
                  int64_t position, const std::string& value) {
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), events,
                       storage::EncodeKeyU64(position), value)
                    .ok());
  }

  // The damage at `position` is named by the evidence: the server refuses
  // the export with DATA_LOSS naming it, or the exported bundle fails
  // offline verification naming it. Then VerifyLog names it, and writes are
  // refused from then on.
  void ExpectDamageNamedAt(int64_t position) {
    const std::string named = absl::StrCat("position ", position, ":");
    RpcResult<Records> exported = Export(Tenant(kTenant));
    if (exported.ok()) {
      absl::Status verified = Verify(exported.response);
      EXPECT_EQ(verified.code(), absl::StatusCode::kDataLoss) << verified;
      EXPECT_THAT(verified.message(), HasSubstr(named));
    } else {
      EXPECT_EQ(exported.status.error_code(), grpc::StatusCode::DATA_LOSS)
          << DescribeStatus(exported.status);
      EXPECT_THAT(exported.status.error_message(), HasSubstr(named));
    }

    grpc::ClientContext context;
    v1::VerifyLogResponse verification;
    ASSERT_TRUE(
        audit().VerifyLog(&context, v1::VerifyLogRequest(), &verification)
            .ok());
    EXPECT_FALSE(verification.valid());
    EXPECT_THAT(verification.failure(), HasSubstr(named));

    v1::CreateAssetRequest write = ValidCreateAsset();
    write.set_parent(kTenant);
    write.set_asset_id("after-the-damage");
    EXPECT_EQ(Call(&Stub::CreateAsset, write).status.error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }

  // Writes, then a checkpoint over them: damage before it is not what the
  // start-up check (entries since the latest checkpoint) looks at, so the
  // evidence and VerifyLog must find it.
  int64_t WrittenAndCheckpointed() {
    Lifecycle();
    const int64_t target = TargetPosition();
    MakeCheckpoint();
    // An untampered bundle verifies: the failures below are the damage's.
    EXPECT_TRUE(Verify(MustExport(Tenant(kTenant))).ok());
    return target;
  }
};

TEST_F(TamperedEvidenceTest, AFlippedByteIsNamed) {
  const int64_t target = WrittenAndCheckpointed();
  TamperWithEntries([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events) {
    std::string entry = Get(db, events, target);
    // Inside the justification, so that the entry still decodes: only the
    // hashes tell.
    const size_t at = entry.find("yearly review");
    ASSERT_NE(at, std::string::npos);
    entry[at] ^= 0x20;
    Put(db, events, target, entry);
  });
  ExpectDamageNamedAt(target);
}

TEST_F(TamperedEvidenceTest, AnEntryRewrittenWithAValidHashIsNamed) {
  const int64_t target = WrittenAndCheckpointed();
  TamperWithEntries([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events) {
    absl::StatusOr<storage::EventEnvelope> event =
        storage::DecodeEvent(Get(db, events, target));
    ASSERT_TRUE(event.ok()) << event.status();
    event->justification = "a better story";
    event->hash = storage::ComputeEventHash(*event);  // self-consistent
    Put(db, events, target, storage::EncodeEvent(*event));
  });
  ExpectDamageNamedAt(target);
}

TEST_F(TamperedEvidenceTest, ADeletedEntryIsNamed) {
  const int64_t target = WrittenAndCheckpointed();
  TamperWithEntries([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events) {
    ASSERT_TRUE(db.Delete(rocksdb::WriteOptions(), events,
                          storage::EncodeKeyU64(target))
                    .ok());
  });
  ExpectDamageNamedAt(target);
}

// The server still starts (writes refused once found), so that the damage
// can be named and the evidence read.
TEST_F(TamperedEvidenceTest, TheFirstEntryDeletedIsNamed) {
  WrittenAndCheckpointed();
  TamperWithEntries([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events) {
    ASSERT_TRUE(
        db.Delete(rocksdb::WriteOptions(), events, storage::EncodeKeyU64(1))
            .ok());
  });
  ExpectDamageNamedAt(1);
}

TEST_F(TamperedEvidenceTest, SwappedEntriesAreNamed) {
  const int64_t target = WrittenAndCheckpointed();
  TamperWithEntries([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events) {
    const std::string first = Get(db, events, target);
    const std::string second = Get(db, events, target + 1);
    Put(db, events, target, second);
    Put(db, events, target + 1, first);
  });
  ExpectDamageNamedAt(target);
}

TEST_F(TamperedEvidenceTest, AnInsertedEntryIsNamed) {
  WrittenAndCheckpointed();
  const int64_t head = LogHead().position;
  TamperWithEntries([&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events) {
    // A forged analysis of the tenant's risk, chained onto the last entry
    // with a valid hash: only the Merkle tree does not know it.
    absl::StatusOr<storage::EventEnvelope> last =
        storage::DecodeEvent(Get(db, events, head));
    ASSERT_TRUE(last.ok()) << last.status();
    storage::EventEnvelope forged = *last;
    forged.position = head + 1;
    forged.stream_id = "tenants/acme/assets/payroll";
    forged.stream_version = 99;
    forged.justification = "inserted later";
    forged.prev_hash = last->hash;
    forged.hash = storage::ComputeEventHash(forged);
    Put(db, events, head + 1, storage::EncodeEvent(forged));
  });
  ExpectDamageNamedAt(head + 1);
}

// The auditor kept a checkpoint; the operator then restores an older copy
// of the data directory. The older log is consistent in itself, so only the
// kept checkpoint shows what was lost.
TEST_F(TamperedEvidenceTest, ARollbackIsCaughtAgainstTheKeptCheckpoint) {
  Lifecycle();
  const std::string older = absl::StrCat(data_dir(), ".older");
  StopServer();
  std::filesystem::copy(data_dir(), older,
                        std::filesystem::copy_options::recursive);
  StartServer();
  AnalyseRisk(RiskName(kTenant, "R-2026-0001"), 5, 5);
  const v1::Checkpoint kept = MakeCheckpoint();
  // Before the rollback, a later bundle extends the kept checkpoint.
  AnalyseRisk(RiskName(kTenant, "R-2026-0001"), 2, 2);
  v1::ExportEvidenceRequest request = Tenant(kTenant);
  request.set_consistent_with_tree_size(kept.tree_size());
  verify::VerifyOptions options;
  options.kept_checkpoint = kept.signed_note();
  absl::StatusOr<verify::BundleSummary> extends =
      verify::VerifyBundle(MustExport(request), options);
  ASSERT_TRUE(extends.ok()) << extends.status();
  EXPECT_EQ(extends->extends_tree_size, kept.tree_size());
  // Without the proof the request asks for, the extension is not shown.
  EXPECT_THAT(
      verify::VerifyBundle(MustExport(Tenant(kTenant)), options)
          .status()
          .message(),
      HasSubstr(absl::StrCat("no consistency proof from tree size ",
                             kept.tree_size())));

  StopServer();
  std::filesystem::remove_all(data_dir());
  std::filesystem::rename(older, data_dir());
  StartServer();
  Records rolled_back = MustExport(request);
  EXPECT_TRUE(Verify(rolled_back).ok());  // consistent in itself
  absl::Status caught = verify::VerifyBundle(rolled_back, options).status();
  EXPECT_EQ(caught.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(caught.message(), HasSubstr("rolled back"));
  // Once the rolled-back log has grown past the kept size again, with other
  // entries, its tree at that size is not the kept one.
  AnalyseRisk(RiskName(kTenant, "R-2026-0001"), 3, 3);
  AnalyseRisk(RiskName(kTenant, "R-2026-0001"), 4, 4);
  AnalyseRisk(RiskName(kTenant, "R-2026-0001"), 5, 4);
  const Records extended = MustExport(request);
  ASSERT_GT(extended[0].header().consistency_proof_size(), 0)
      << extended[0].header().ShortDebugString();
  caught = verify::VerifyBundle(extended, options).status();
  EXPECT_THAT(caught.message(), HasSubstr("history was rewritten"));
}

}  // namespace
}  // namespace riskledger::integration
