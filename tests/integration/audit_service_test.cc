// AuditService through the real server (M14): audit entries of a tenant with
// their filters, pages and before/after values; checkpoints on demand whose
// signed notes verify with the listed keys; inclusion and consistency proofs
// that verify against them (and fail when altered); VerifyLog as an RPC; and
// bounded, clear refusals of bad input that write nothing.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "riskledger/v1/audit_service.grpc.pb.h"
#include "services/common/canonical_encoding.h"
#include "services/common/proto_time.h"
#include "storage/audit/checkpoint.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/proof_verifier.h"
#include "storage/audit/signed_note.h"
#include "storage/event_codec.h"
#include "tests/integration/server_fixture.h"

namespace riskledger::integration {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Stub = v1::AssessmentService::Stub;
using AuditStub = v1::AuditService::Stub;

constexpr char kAuditService[] = "riskledger.v1.AuditService";

class AuditServiceTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    audit_ = v1::AuditService::NewStub(channel());
  }

  template <typename Request, typename Response>
  RpcResult<Response> AuditCall(
      grpc::Status (AuditStub::*method)(grpc::ClientContext*, const Request&,
                                        Response*),
      const Request& request) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    RpcResult<Response> result;
    result.status = ((*audit_).*method)(&context, request, &result.response);
    return result;
  }

  template <typename Request, typename Response>
  Response MustAudit(
      grpc::Status (AuditStub::*method)(grpc::ClientContext*, const Request&,
                                        Response*),
      const Request& request) {
    RpcResult<Response> result = AuditCall(method, request);
    EXPECT_TRUE(result.ok()) << request.GetDescriptor()->name() << " failed: "
                             << DescribeStatus(result.status);
    return result.response;
  }

  // Every entry the request lists, following page tokens.
  std::vector<v1::AuditEntry> ListAll(v1::ListAuditEntriesRequest request) {
    std::vector<v1::AuditEntry> entries;
    for (int page = 0; page < 1000; ++page) {
      v1::ListAuditEntriesResponse response =
          MustAudit(&AuditStub::ListAuditEntries, request);
      entries.insert(entries.end(), response.entries().begin(),
                     response.entries().end());
      if (response.next_page_token().empty()) return entries;
      request.set_page_token(response.next_page_token());
    }
    ADD_FAILURE() << "pages never end";
    return entries;
  }

  static v1::ListAuditEntriesRequest Entries(const std::string& filter = "") {
    v1::ListAuditEntriesRequest request;
    request.set_parent(kTenant);
    request.set_filter(filter);
    return request;
  }

  v1::Checkpoint CreateCheckpoint() {
    return MustAudit(&AuditStub::CreateCheckpoint,
                     v1::CreateCheckpointRequest());
  }

  std::vector<audit::NoteVerifier> ListedVerifiers() {
    v1::ListVerifierKeysResponse keys = MustAudit(
        &AuditStub::ListVerifierKeys, v1::ListVerifierKeysRequest());
    std::vector<audit::NoteVerifier> verifiers;
    verifiers.reserve(keys.keys_size());
    for (const v1::VerifierKey& key : keys.keys()) {
      absl::StatusOr<audit::NoteVerifier> parsed =
          audit::ParseVerifierKey(key.verifier_key());
      EXPECT_TRUE(parsed.ok()) << parsed.status();
      if (parsed.ok()) verifiers.push_back(*parsed);
    }
    return verifiers;
  }

  // A risk with an asset and an impact analysis in `tenant`, analysed twice:
  // returns the risk's name.
  std::string RiskLifecycle(const std::string& tenant) {
    const std::string asset = CreateAsset(tenant, "payroll").name();
    RecordImpactAnalysis(asset, CategoryScores(4), "yearly review");
    std::string risk = CreateRisk(tenant, ValidRisk(asset)).name();
    AnalyseRisk(risk, 3, 2);
    AnalyseRisk(risk, 4, 4);
    return risk;
  }

  std::unique_ptr<AuditStub> audit_;
};

std::vector<int64_t> Positions(const std::vector<v1::AuditEntry>& entries) {
  std::vector<int64_t> positions;
  positions.reserve(entries.size());
  for (const v1::AuditEntry& entry : entries) {
    positions.push_back(entry.audit().log_position());
  }
  return positions;
}

TEST_F(AuditServiceTest, ListsOnlyTheTenantsEntriesInLogOrderWithTheirFacts) {
  const std::string risk = RiskLifecycle(kTenant);
  RiskLifecycle(kOtherTenant);

  std::vector<v1::AuditEntry> entries = ListAll(Entries());
  ASSERT_FALSE(entries.empty());
  int64_t previous = 0;
  for (const v1::AuditEntry& entry : entries) {
    EXPECT_THAT(entry.resource(), ::testing::StartsWith("tenants/acme/"));
    EXPECT_GT(entry.audit().log_position(), previous);
    previous = entry.audit().log_position();
    EXPECT_EQ(entry.audit().principal(), kPrincipal);
    EXPECT_FALSE(entry.event_json().empty());
    EXPECT_EQ(entry.audit().entry_hash().size(), 64U);
  }
  // Every entry of the tenant, and nothing else: the other half of the log
  // is the other tenant's.
  EXPECT_EQ(static_cast<int64_t>(entries.size()) * 2, CountLogEvents());

  // M14: the second analysis records its scores before and after.
  std::vector<v1::AuditEntry> analyses = ListAll(Entries(absl::StrCat(
      "resource = \"", risk, "\" AND event_type = \"RiskAnalysed\"")));
  ASSERT_EQ(analyses.size(), 2U);
  const v1::AuditEntry& second = analyses[1];
  EXPECT_EQ(second.resource(), risk);
  EXPECT_EQ(second.audit().event_type(), "RiskAnalysed");
  EXPECT_EQ(second.audit().method(),
            "/riskledger.v1.AssessmentService/AnalyseRisk");
  std::map<std::string, std::pair<int, int>> changes;
  for (const v1::ScoreChange& change : second.changes()) {
    changes[change.field()] = {change.before(), change.after()};
  }
  EXPECT_EQ(changes["impact"], std::make_pair(3, 4));
  EXPECT_EQ(changes["likelihood"], std::make_pair(2, 4));
  EXPECT_EQ(changes["computed_level"], std::make_pair(6, 16));
  EXPECT_THAT(second.event_json(), HasSubstr("\"impact\""));
  EXPECT_GT(second.resource_version(), analyses[0].resource_version());

  // The fully qualified event type selects the same entries.
  EXPECT_EQ(Positions(ListAll(Entries(absl::StrCat(
                "resource = \"", risk,
                "\" AND event_type = \"riskledger.events.v1.RiskAnalysed\"")))),
            Positions(analyses));
  // The impact analysis keeps its justification.
  std::vector<v1::AuditEntry> impact =
      ListAll(Entries("event_type = \"ImpactAnalysisRecorded\""));
  ASSERT_EQ(impact.size(), 1U);
  EXPECT_EQ(impact[0].audit().justification(), "yearly review");
  EXPECT_FALSE(impact[0].changes().empty());
  // A principal nobody used matches nothing; ours matches everything.
  EXPECT_THAT(ListAll(Entries("principal = \"mallory\"")), IsEmpty());
  EXPECT_EQ(ListAll(Entries(absl::StrCat("principal = \"", kPrincipal, "\"")))
                .size(),
            entries.size());
}

// M14: the answer a command returned, first time and to every retry, is the
// one its log entry records (by digest), so the proofs cover it too.
TEST_F(AuditServiceTest, EveryEntryRecordsTheDigestOfTheAnswerItsCallGot) {
  const std::string asset = CreateAsset(kTenant, "payroll").name();
  RecordImpactAnalysis(asset, CategoryScores(4));
  const std::string risk = CreateRisk(kTenant, ValidRisk(asset)).name();
  v1::AnalyseRiskRequest request;
  request.set_name(risk);
  request.set_impact(3);
  request.set_likelihood(4);
  request.set_impact_rationale("payroll data");
  request.set_likelihood_rationale("seen twice");
  request.add_information_sources(v1::INFORMATION_SOURCE_EXPERT_ASSESSMENT);
  request.set_request_id("analyse-once");
  const v1::Risk first = Must(&Stub::AnalyseRisk, request);
  const v1::Risk retried = Must(&Stub::AnalyseRisk, request);
  EXPECT_EQ(CanonicalEncoding(retried), CanonicalEncoding(first));

  std::vector<v1::AuditEntry> analysed = ListAll(Entries(absl::StrCat(
      "resource = \"", risk, "\" AND event_type = \"RiskAnalysed\"")));
  ASSERT_EQ(analysed.size(), 1U);  // the retry wrote nothing
  const v1::AuditStamp& stamp = analysed[0].audit();
  EXPECT_EQ(stamp.request_id(), "analyse-once");
  EXPECT_EQ(stamp.response_digest(),
            storage::ToHex(storage::Sha256(absl::StrCat(
                stamp.method(), "\n", CanonicalEncoding(first)))));
  // Every entry records one, and a different answer has another digest.
  for (const v1::AuditEntry& entry : ListAll(Entries())) {
    EXPECT_EQ(entry.audit().response_digest().size(), 64U)
        << entry.ShortDebugString();
  }
  v1::Risk other = first;
  other.mutable_analysis()->set_impact(4);
  EXPECT_NE(stamp.response_digest(),
            storage::ToHex(storage::Sha256(absl::StrCat(
                stamp.method(), "\n", CanonicalEncoding(other)))));
}

TEST_F(AuditServiceTest, PagesAndTimeRangesPartitionTheEntries) {
  CreateAsset(kTenant, "first");
  const absl::Time middle = clock().Peek();
  const std::string risk = RiskLifecycle(kTenant);
  const absl::Time end = clock().Peek();
  CreateAsset(kTenant, "last");

  std::vector<v1::AuditEntry> all = ListAll(Entries());
  v1::ListAuditEntriesRequest paged = Entries();
  paged.set_page_size(2);
  EXPECT_EQ(Positions(ListAll(paged)), Positions(all));

  v1::ListAuditEntriesRequest before = Entries();
  *before.mutable_end_time() = ToProtoTimestamp(middle);
  v1::ListAuditEntriesRequest during = Entries();
  *during.mutable_start_time() = ToProtoTimestamp(middle);
  *during.mutable_end_time() = ToProtoTimestamp(end);
  during.set_page_size(1);
  v1::ListAuditEntriesRequest after = Entries();
  *after.mutable_start_time() = ToProtoTimestamp(end);
  std::vector<int64_t> parts = Positions(ListAll(before));
  const size_t first_part = parts.size();
  for (int64_t position : Positions(ListAll(during))) {
    parts.push_back(position);
  }
  const size_t second_part = parts.size() - first_part;
  for (int64_t position : Positions(ListAll(after))) {
    parts.push_back(position);
  }
  EXPECT_EQ(parts, Positions(all));
  EXPECT_EQ(first_part, 1U);   // the first asset
  EXPECT_GE(second_part, 5U);  // the lifecycle
  for (const v1::AuditEntry& entry : ListAll(during)) {
    EXPECT_GE(FromProtoTimestamp(entry.audit().time()), middle);
    EXPECT_LT(FromProtoTimestamp(entry.audit().time()), end);
  }

  // One resource, paged: its stream, version by version.
  v1::ListAuditEntriesRequest one = Entries(absl::StrCat("resource = \"", risk, "\""));
  one.set_page_size(1);
  std::vector<v1::AuditEntry> risk_entries = ListAll(one);
  ASSERT_GE(risk_entries.size(), 3U);
  for (size_t i = 0; i < risk_entries.size(); ++i) {
    EXPECT_EQ(risk_entries[i].resource_version(), static_cast<int64_t>(i + 1));
  }

  // A token resumes only the listing it came from.
  v1::ListAuditEntriesResponse first_page =
      MustAudit(&AuditStub::ListAuditEntries, paged);
  ASSERT_FALSE(first_page.next_page_token().empty());
  v1::ListAuditEntriesRequest other = Entries("event_type = \"RiskAnalysed\"");
  other.set_page_token(first_page.next_page_token());
  RpcResult<v1::ListAuditEntriesResponse> replayed =
      AuditCall(&AuditStub::ListAuditEntries, other);
  EXPECT_EQ(replayed.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(replayed.status), ElementsAre("page_token"));
}

TEST_F(AuditServiceTest, BadListRequestsAreRefusedByFieldAndWriteNothing) {
  RiskLifecycle(kTenant);
  const int64_t head = LogHead().position;
  struct Case {
    std::string label;
    std::function<void(v1::ListAuditEntriesRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"no parent", [](auto& r) { r.clear_parent(); }, "parent"},
      {"not a tenant", [](auto& r) { r.set_parent("tenants/acme/risks/R-1"); },
       "parent"},
      {"unknown filter field",
       [](auto& r) { r.set_filter("owner = \"alice\""); }, "filter"},
      {"filter syntax", [](auto& r) { r.set_filter("resource ="); }, "filter"},
      {"another tenant's resource",
       [](auto& r) { r.set_filter("resource = \"tenants/globex/risks/R-1\""); },
       "filter"},
      {"huge resource",
       [](auto& r) {
         r.set_filter(absl::StrCat("resource = \"tenants/acme/",
                                   std::string(600, 'a'), "\""));
       },
       "filter"},
      {"negative page size", [](auto& r) { r.set_page_size(-1); },
       "page_size"},
      {"forged token", [](auto& r) { r.set_page_token("AAAA"); },
       "page_token"},
      {"nanos out of range",
       [](auto& r) { r.mutable_start_time()->set_nanos(-1); }, "start_time"},
      {"year 10000",
       [](auto& r) { r.mutable_end_time()->set_seconds(253402300800); },
       "end_time"},
      {"empty range",
       [](auto& r) {
         r.mutable_start_time()->set_seconds(2000);
         r.mutable_end_time()->set_seconds(1000);
       },
       "end_time"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    v1::ListAuditEntriesRequest request = Entries();
    c.mutate(request);
    RpcResult<v1::ListAuditEntriesResponse> result =
        AuditCall(&AuditStub::ListAuditEntries, request);
    EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << DescribeStatus(result.status);
    EXPECT_THAT(ViolatedFields(result.status), ElementsAre(c.field));
    EXPECT_LT(result.status.error_message().size(), 1024U);
  }
  EXPECT_EQ(LogHead().position, head);
}

TEST_F(AuditServiceTest, CheckpointsOnDemandVerifyWithTheListedKeys) {
  RiskLifecycle(kTenant);
  v1::Checkpoint checkpoint = CreateCheckpoint();
  EXPECT_EQ(checkpoint.tree_size(), LogHead().position);
  EXPECT_EQ(checkpoint.root_hash().size(), 32U);
  EXPECT_TRUE(checkpoint.has_time());

  v1::ListVerifierKeysResponse keys =
      MustAudit(&AuditStub::ListVerifierKeys, v1::ListVerifierKeysRequest());
  ASSERT_EQ(keys.keys_size(), 1);
  EXPECT_TRUE(keys.keys(0).current());
  std::vector<audit::NoteVerifier> verifiers = ListedVerifiers();
  absl::StatusOr<std::string> text =
      audit::OpenNote(checkpoint.signed_note(), verifiers);
  ASSERT_TRUE(text.ok()) << text.status();
  audit::Checkpoint parsed = audit::ParseCheckpoint(*text).value();
  EXPECT_EQ(parsed.origin, checkpoint.origin());
  EXPECT_EQ(parsed.origin, verifiers[0].name);
  EXPECT_EQ(static_cast<int64_t>(parsed.size), checkpoint.tree_size());
  EXPECT_EQ(parsed.root_hash, checkpoint.root_hash());

  // Nothing new: the same checkpoint, not another.
  EXPECT_EQ(CreateCheckpoint().signed_note(), checkpoint.signed_note());
  v1::GetCheckpointRequest latest;
  EXPECT_EQ(MustAudit(&AuditStub::GetCheckpoint, latest).signed_note(),
            checkpoint.signed_note());
  v1::GetCheckpointRequest at_size;
  at_size.set_tree_size(checkpoint.tree_size());
  EXPECT_EQ(MustAudit(&AuditStub::GetCheckpoint, at_size).signed_note(),
            checkpoint.signed_note());
  at_size.set_tree_size(checkpoint.tree_size() - 1);
  EXPECT_EQ(AuditCall(&AuditStub::GetCheckpoint, at_size).status.error_code(),
            grpc::StatusCode::NOT_FOUND);
  at_size.set_tree_size(-1);
  RpcResult<v1::Checkpoint> negative =
      AuditCall(&AuditStub::GetCheckpoint, at_size);
  EXPECT_EQ(negative.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(negative.status), ElementsAre("tree_size"));

  // A signature moved onto another size does not open.
  std::string forged = checkpoint.signed_note();
  const std::string size_line = absl::StrCat("\n", checkpoint.tree_size(), "\n");
  forged.replace(forged.find(size_line), size_line.size(),
                 absl::StrCat("\n", checkpoint.tree_size() + 1, "\n"));
  EXPECT_FALSE(audit::OpenNote(forged, verifiers).ok());
}

TEST_F(AuditServiceTest, InclusionProofsOfEveryEntryVerifyAndFailWhenAltered) {
  RiskLifecycle(kTenant);
  RiskLifecycle(kOtherTenant);
  v1::Checkpoint checkpoint = CreateCheckpoint();
  std::vector<v1::AuditEntry> entries = ListAll(Entries());
  ASSERT_FALSE(entries.empty());
  for (const v1::AuditEntry& entry : entries) {
    const int64_t position = entry.audit().log_position();
    SCOPED_TRACE(position);
    v1::GetInclusionProofRequest request;
    request.set_parent(kTenant);
    request.set_log_position(position);
    v1::InclusionProof proof =
        MustAudit(&AuditStub::GetInclusionProof, request);
    EXPECT_EQ(proof.tree_size(), checkpoint.tree_size());
    EXPECT_EQ(proof.checkpoint().signed_note(), checkpoint.signed_note());
    // The entry is the one listed: its hash is the stamp's.
    storage::EventEnvelope decoded =
        storage::DecodeEvent(proof.entry()).value();
    EXPECT_EQ(storage::ToHex(decoded.hash), entry.audit().entry_hash());
    std::vector<std::string> hashes(proof.hashes().begin(),
                                    proof.hashes().end());
    const std::string leaf = audit::LeafHash(proof.entry());
    EXPECT_TRUE(audit::VerifyInclusion(position - 1, proof.tree_size(), leaf,
                                       hashes, checkpoint.root_hash())
                    .ok());
    std::string altered = proof.entry();
    altered[altered.size() / 2] ^= 1;
    EXPECT_FALSE(audit::VerifyInclusion(position - 1, proof.tree_size(),
                                        audit::LeafHash(altered), hashes,
                                        checkpoint.root_hash())
                     .ok());
    if (!hashes.empty()) {
      hashes[0][0] ^= 1;
      EXPECT_FALSE(audit::VerifyInclusion(position - 1, proof.tree_size(),
                                          leaf, hashes, checkpoint.root_hash())
                       .ok());
    }
  }

  // Another tenant's entry is not found; positions beyond the checkpoint
  // are out of its range; bad fields are named.
  std::vector<int64_t> ours = Positions(entries);
  int64_t foreign = 1;
  while (std::find(ours.begin(), ours.end(), foreign) != ours.end()) ++foreign;
  v1::GetInclusionProofRequest request;
  request.set_parent(kTenant);
  request.set_log_position(foreign);
  RpcResult<v1::InclusionProof> other =
      AuditCall(&AuditStub::GetInclusionProof, request);
  EXPECT_EQ(other.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(other.response.entry().empty());
  CreateAsset(kTenant, "late");
  request.set_log_position(LogHead().position);
  EXPECT_EQ(AuditCall(&AuditStub::GetInclusionProof, request)
                .status.error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
  request.set_log_position(0);
  request.set_tree_size(-2);
  request.set_parent("acme");
  RpcResult<v1::InclusionProof> bad =
      AuditCall(&AuditStub::GetInclusionProof, request);
  EXPECT_EQ(bad.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(bad.status),
              ElementsAre("parent", "log_position", "tree_size"));
}

TEST_F(AuditServiceTest, ConsistencyProofsLinkCheckpointsAndFailWhenAltered) {
  RiskLifecycle(kTenant);
  v1::Checkpoint first = CreateCheckpoint();
  RiskLifecycle(kOtherTenant);
  v1::Checkpoint second = CreateCheckpoint();
  ASSERT_LT(first.tree_size(), second.tree_size());

  v1::GetConsistencyProofRequest request;
  request.set_first_tree_size(first.tree_size());
  v1::ConsistencyProof proof =
      MustAudit(&AuditStub::GetConsistencyProof, request);
  EXPECT_EQ(proof.second_tree_size(), second.tree_size());
  EXPECT_EQ(proof.second_checkpoint().signed_note(), second.signed_note());
  std::vector<std::string> hashes(proof.hashes().begin(), proof.hashes().end());
  EXPECT_TRUE(audit::VerifyConsistency(first.tree_size(), second.tree_size(),
                                       hashes, first.root_hash(),
                                       second.root_hash())
                  .ok());
  std::string other_root = first.root_hash();
  other_root[5] ^= 1;
  EXPECT_FALSE(audit::VerifyConsistency(first.tree_size(), second.tree_size(),
                                        hashes, other_root, second.root_hash())
                   .ok());
  ASSERT_FALSE(hashes.empty());
  hashes.back()[0] ^= 1;
  EXPECT_FALSE(audit::VerifyConsistency(first.tree_size(), second.tree_size(),
                                        hashes, first.root_hash(),
                                        second.root_hash())
                   .ok());

  // Explicit sizes: any pair up to the log, with the checkpoint when one
  // was made at the larger size.
  request.set_second_tree_size(second.tree_size() - 1);
  v1::ConsistencyProof unsigned_size =
      MustAudit(&AuditStub::GetConsistencyProof, request);
  EXPECT_FALSE(unsigned_size.has_second_checkpoint());

  request.set_second_tree_size(second.tree_size() + 1000);
  EXPECT_EQ(AuditCall(&AuditStub::GetConsistencyProof, request)
                .status.error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
  request.set_first_tree_size(second.tree_size());
  request.set_second_tree_size(first.tree_size());
  RpcResult<v1::ConsistencyProof> reversed =
      AuditCall(&AuditStub::GetConsistencyProof, request);
  EXPECT_EQ(reversed.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(reversed.status), ElementsAre("first_tree_size"));
  request.set_first_tree_size(0);
  request.set_second_tree_size(-1);
  RpcResult<v1::ConsistencyProof> bad =
      AuditCall(&AuditStub::GetConsistencyProof, request);
  EXPECT_THAT(ViolatedFields(bad.status),
              ElementsAre("first_tree_size", "second_tree_size"));
}

TEST_F(AuditServiceTest, VerifyLogRecomputesTheWholeLog) {
  RiskLifecycle(kTenant);
  CreateCheckpoint();
  RiskLifecycle(kOtherTenant);
  CreateCheckpoint();
  CreateAsset(kTenant, "beyond-the-checkpoints");
  v1::VerifyLogResponse verified =
      MustAudit(&AuditStub::VerifyLog, v1::VerifyLogRequest());
  EXPECT_TRUE(verified.valid()) << verified.failure();
  EXPECT_EQ(verified.entries_verified(), LogHead().position);
  EXPECT_EQ(verified.tree_size(), LogHead().position);
  EXPECT_EQ(verified.root_hash().size(), 32U);
  EXPECT_EQ(verified.checkpoints_verified(), 2);
  EXPECT_THAT(verified.failure(), IsEmpty());
  // Verification wrote nothing and writes go on.
  CreateAsset(kTenant, "after-verification");
}

TEST_F(AuditServiceTest, TheServiceReportsItsHealthAndAnEmptyLogHasNoCheckpoint) {
  RpcResult<int> health = CheckHealth(kAuditService);
  ASSERT_TRUE(health.ok()) << DescribeStatus(health.status);
  EXPECT_EQ(health.response, 1);
  RpcResult<v1::Checkpoint> none =
      AuditCall(&AuditStub::GetCheckpoint, v1::GetCheckpointRequest());
  EXPECT_EQ(none.status.error_code(), grpc::StatusCode::NOT_FOUND);
  RpcResult<v1::Checkpoint> empty =
      AuditCall(&AuditStub::CreateCheckpoint, v1::CreateCheckpointRequest());
  EXPECT_EQ(empty.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ListAll(Entries()).size(), 0U);
}

}  // namespace
}  // namespace riskledger::integration
