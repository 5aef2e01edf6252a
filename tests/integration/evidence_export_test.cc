// Evidence export and offline verification (M14): a bundle streamed by
// AuditService.ExportEvidence verifies with the offline verifier (library and
// riskledger-verify), and every hand edit is rejected naming what failed:
// an entry removed, a value changed in an entry or in the register, the
// signature swapped, a count changed.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/verify/evidence_bundle.h"
#include "clients/verify/evidence_verifier.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "riskledger/v1/audit_service.grpc.pb.h"
#include "services/common/proto_time.h"
#include "storage/audit/checkpoint.h"
#include "storage/audit/signed_note.h"
#include "tests/integration/evidence_fixture.h"
#include "tests/integration/server_fixture.h"

namespace riskledger::integration {
namespace {

using ::testing::HasSubstr;

class EvidenceExportTest : public EvidenceTest {};

// The index of the entry records, in order.
std::vector<size_t> EntryIndexes(const Records& records) {
  std::vector<size_t> out;
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].has_entry()) out.push_back(i);
  }
  return out;
}

void FixTrailer(Records& records) {
  int64_t entries = 0;
  int64_t registered = 0;
  for (const v1::EvidenceRecord& record : records) {
    entries += record.has_entry() ? 1 : 0;
    registered += record.has_risk() || record.has_asset() ? 1 : 0;
  }
  records.back().mutable_trailer()->set_entry_count(entries);
  records.back().mutable_trailer()->set_register_count(registered);
}

TEST_F(EvidenceExportTest, ATenantsBundleVerifiesOfflineAgainstTheServersKey) {
  Lifecycle();
  Records bundle = MustExport(Tenant(kTenant));
  ASSERT_GE(bundle.size(), 3U);
  ASSERT_TRUE(bundle.front().has_header());
  ASSERT_TRUE(bundle.back().has_trailer());
  const v1::EvidenceHeader& header = bundle.front().header();
  EXPECT_EQ(header.checkpoint().tree_size(), LogHead().position);
  EXPECT_EQ(header.register_position(), LogHead().position);

  verify::VerifyOptions options;
  options.trusted_keys = {CurrentKey()};
  absl::StatusOr<verify::BundleSummary> summary =
      verify::VerifyBundle(bundle, options);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_FALSE(summary->keys_from_bundle);
  int64_t ours = 0;
  const std::vector<storage::EventEnvelope> log =
      event_store().ReadAll(1, 100000).value();
  for (const storage::EventEnvelope& event : log) {
    ours += absl::StartsWith(event.stream_id, "tenants/acme/") ? 1 : 0;
  }
  EXPECT_EQ(summary->entries, ours);
  // The register: our two risks and our asset, as ListRisks/ListAssets.
  EXPECT_EQ(summary->register_records, 3);
  EXPECT_EQ(bundle.back().trailer().entry_count(), summary->entries);

  // The file form round-trips.
  std::string file;
  for (const v1::EvidenceRecord& record : bundle) {
    file += verify::FrameRecord(record);
  }
  absl::StatusOr<Records> parsed = verify::ParseBundle(file);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(Verify(*parsed).ok());
  EXPECT_FALSE(verify::ParseBundle(file.substr(0, file.size() - 1)).ok());

  // Another key than the server's does not verify it.
  audit::NoteSigner stranger =
      audit::NoteSigner::FromSeed("stranger", std::string(32, '\x07')).value();
  absl::Status foreign = Verify(bundle, {stranger.verifier().Encode()});
  EXPECT_THAT(foreign.message(), HasSubstr("signature"));
}

TEST_F(EvidenceExportTest, EditedBundlesAreRejectedNamingTheFailure) {
  Lifecycle();
  const Records bundle = MustExport(Tenant(kTenant));
  ASSERT_TRUE(Verify(bundle).ok()) << Verify(bundle);
  const std::vector<size_t> entries = EntryIndexes(bundle);
  ASSERT_GE(entries.size(), 6U);

  {  // An entry in the middle of a risk's history removed (counts fixed).
    Records edited = bundle;
    // The risk's first analysis: version 2 of its stream.
    for (size_t index : entries) {
      if (bundle[index].entry().entry().find("RiskAnalysed") !=
          std::string::npos) {
        edited.erase(edited.begin() + static_cast<long>(index));
        break;
      }
    }
    ASSERT_LT(edited.size(), bundle.size());
    FixTrailer(edited);
    EXPECT_THAT(Verify(edited).message(), HasSubstr("missing"));
  }
  {  // The last entry removed, counts fixed: the bundle's signature fails.
    Records edited = bundle;
    edited.erase(edited.begin() + static_cast<long>(entries.back()));
    FixTrailer(edited);
    EXPECT_THAT(Verify(edited).message(), HasSubstr("differ"));
  }
  {  // The bundle's signature swapped for another key's.
    Records edited = bundle;
    audit::NoteSigner forger =
        audit::NoteSigner::FromSeed("forger", std::string(32, 'g')).value();
    edited.back().mutable_trailer()->set_signed_digest(
        forger.Sign("riskledger evidence bundle 1\nforger\nAAAA\n").value());
    EXPECT_THAT(Verify(edited).message(), HasSubstr("bundle's signature"));
  }
  {  // A byte of an entry changed.
    Records edited = bundle;
    std::string& entry = *edited[entries[2]].mutable_entry()->mutable_entry();
    entry[entry.size() - 40] ^= 0x01;
    absl::Status status = Verify(edited);
    EXPECT_FALSE(status.ok());
    EXPECT_THAT(status.message(),
                HasSubstr(absl::StrCat("log position ",
                                       edited[entries[2]].entry().log_position())));
  }
  {  // A score changed in the register.
    Records edited = bundle;
    for (v1::EvidenceRecord& record : edited) {
      if (record.has_risk() && record.risk().has_analysis()) {
        record.mutable_risk()->mutable_analysis()->set_impact(1);
        break;
      }
    }
    EXPECT_THAT(Verify(edited).message(), HasSubstr("impact"));
  }
  {  // The signature swapped for another key's, with that key added.
    Records edited = bundle;
    v1::Checkpoint& checkpoint =
        *edited[0].mutable_header()->mutable_checkpoint();
    const std::string text = checkpoint.signed_note().substr(
        0, checkpoint.signed_note().find("\n\n") + 1);
    audit::NoteSigner forger =
        audit::NoteSigner::FromSeed(checkpoint.origin(), std::string(32, 'f'))
            .value();
    checkpoint.set_signed_note(forger.Sign(text).value());
    // Against the server's key, the forged signature fails …
    EXPECT_THAT(Verify(edited, {CurrentKey()}).message(),
                HasSubstr("signature"));
    // … and with only the forger's key in the bundle, so does the bundle
    // without a trusted key: the server's key is no longer there.
    edited[0].mutable_header()->clear_verifier_keys();
    EXPECT_THAT(Verify(edited).message(), HasSubstr("signature"));
  }
  {  // Counts changed.
    Records edited = bundle;
    edited.back().mutable_trailer()->set_entry_count(
        edited.back().trailer().entry_count() + 1);
    EXPECT_THAT(Verify(edited).message(), HasSubstr("trailer"));
  }
  {  // Entries reordered.
    Records edited = bundle;
    std::swap(edited[entries[1]], edited[entries[2]]);
    EXPECT_FALSE(Verify(edited).ok());
  }
}

TEST_F(EvidenceExportTest, AScopedBundleHoldsOnlyItsResourcesAndRange) {
  Lifecycle();
  const absl::Time start = clock().Peek();
  const std::string risk = RiskName(kTenant, "R-2026-0001");
  AnalyseRisk(risk, 2, 2);
  const absl::Time end = clock().Peek();
  AnalyseRisk(risk, 5, 5);

  v1::ExportEvidenceRequest request = Tenant(kTenant);
  request.add_resources(risk);
  *request.mutable_start_time() = ToProtoTimestamp(start);
  *request.mutable_end_time() = ToProtoTimestamp(end);
  Records bundle = MustExport(request);
  ASSERT_TRUE(Verify(bundle).ok()) << Verify(bundle);
  ASSERT_EQ(EntryIndexes(bundle).size(), 1U);
  // The register is as of the end of the range: the analysis inside it.
  ASSERT_TRUE(bundle[2].has_risk()) << bundle[2].ShortDebugString();
  EXPECT_EQ(bundle[2].risk().analysis().impact(), 2);
  EXPECT_EQ(bundle.size(), 4U);

  // Bad scopes are refused by field before anything is streamed.
  v1::ExportEvidenceRequest bad = Tenant("acme");
  bad.add_resources("tenants/globex/risks/R-2026-0001");
  RpcResult<Records> refused = Export(bad);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(refused.response.empty());
  bad = Tenant(kTenant);
  bad.add_resources("tenants/globex/risks/R-2026-0001");
  EXPECT_THAT(ViolatedFields(Export(bad).status),
              ::testing::ElementsAre("resources[0]"));
  bad = Tenant(kTenant);
  for (int i = 0; i < 101; ++i) bad.add_resources(risk);
  EXPECT_THAT(ViolatedFields(Export(bad).status),
              ::testing::ElementsAre("resources"));
}

// One export runs at a time, and its slot is free by the time its client sees
// the end: back-to-back exports never meet ABORTED.
TEST_F(EvidenceExportTest, BackToBackExportsEachRun) {
  Lifecycle();
  for (int i = 0; i < 30; ++i) {
    RpcResult<Records> exported = Export(Tenant(kTenant));
    ASSERT_TRUE(exported.ok()) << i << ": " << exported.status.error_message();
  }
}

TEST_F(EvidenceExportTest, TheCommandLineVerifierExitsByTheResult) {
  Lifecycle();
  Records bundle = MustExport(Tenant(kTenant));
  const std::string path = absl::StrCat(data_dir(), "/../bundle.rlev");
  auto write = [&](const Records& records) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const v1::EvidenceRecord& record : records) {
      out << verify::FrameRecord(record);
    }
  };
  auto run = [&](const std::string& arguments, std::string* output) {
    const std::string command =
        absl::StrCat(RISKLEDGER_VERIFY_PATH, " ", arguments, " ", path);
    FILE* pipe = popen(command.c_str(), "r");
    char buffer[512];
    while (fgets(buffer, sizeof(buffer), pipe) != nullptr) *output += buffer;
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  write(bundle);
  std::string output;
  EXPECT_EQ(run(absl::StrCat("--key='", CurrentKey(), "'"), &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("OK: "));
  bundle.back().mutable_trailer()->set_register_count(0);
  write(bundle);
  output.clear();
  EXPECT_EQ(run("", &output), 1);
  EXPECT_THAT(output, HasSubstr("FAILED: "));

  // --checkpoint: a kept checkpoint the new bundle extends; a file that is
  // no checkpoint is a usage error.
  grpc::ClientContext context;
  v1::Checkpoint kept;
  ASSERT_TRUE(
      audit().GetCheckpoint(&context, v1::GetCheckpointRequest(), &kept).ok());
  const std::string kept_path = absl::StrCat(data_dir(), "/../kept.note");
  std::ofstream(kept_path, std::ios::binary | std::ios::trunc)
      << kept.signed_note();
  AnalyseRisk(RiskName(kTenant, "R-2026-0001"), 1, 1);
  v1::ExportEvidenceRequest extending = Tenant(kTenant);
  extending.set_consistent_with_tree_size(kept.tree_size());
  write(MustExport(extending));
  output.clear();
  EXPECT_EQ(run(absl::StrCat("--checkpoint=", kept_path), &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat(
                          "extends the kept checkpoint of tree size ",
                          kept.tree_size())));
  std::ofstream(kept_path, std::ios::binary | std::ios::trunc)
      << "{\"treeSize\": \"12\"}";
  output.clear();
  EXPECT_EQ(run(absl::StrCat("--checkpoint=", kept_path, " 2>&1"), &output),
            2);
  EXPECT_THAT(output, HasSubstr("is not a signed checkpoint"));
}

// One export at a time: while a client holds one open (it stopped reading,
// and without BDP probing its stream window stays at 64 KiB, far below the
// bundle), another export is ABORTED and a bad request is still refused by
// field.
TEST_F(EvidenceExportTest, WhileOneExportRunsAnotherIsAbortedABadOneRefused) {
  Lifecycle();
  for (int i = 0; i < 400; ++i) {
    AnalyseRisk(RiskName(kTenant, "R-2026-0001"), 1 + i % 5, 1 + i % 4);
  }
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  std::unique_ptr<v1::AuditService::Stub> slow_stub =
      v1::AuditService::NewStub(grpc::CreateCustomChannel(
          server().address(), grpc::InsecureChannelCredentials(), arguments));
  grpc::ClientContext slow;
  std::unique_ptr<grpc::ClientReader<v1::EvidenceRecord>> reader =
      slow_stub->ExportEvidence(&slow, Tenant(kTenant));
  v1::EvidenceRecord header;
  ASSERT_TRUE(reader->Read(&header));  // the export is under way
  ASSERT_TRUE(header.has_header());

  RpcResult<Records> busy = Export(Tenant(kTenant));
  EXPECT_EQ(busy.status.error_code(), grpc::StatusCode::ABORTED)
      << DescribeStatus(busy.status);
  v1::ExportEvidenceRequest bad = Tenant(kTenant);
  bad.add_resources("tenants/globex/risks/R-2026-0001");
  EXPECT_THAT(ViolatedFields(Export(bad).status),
              ::testing::ElementsAre("resources[0]"));
  slow.TryCancel();
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

// A negative kept size is refused by field before anything is streamed.
TEST_F(EvidenceExportTest, ANegativeKeptTreeSizeIsRefusedByField) {
  Lifecycle();
  v1::ExportEvidenceRequest bad = Tenant(kTenant);
  bad.set_consistent_with_tree_size(-1);
  RpcResult<Records> refused = Export(bad);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(refused.response.empty());
  EXPECT_THAT(ViolatedFields(refused.status),
              ::testing::ElementsAre("consistent_with_tree_size"));
}

}  // namespace
}  // namespace riskledger::integration
