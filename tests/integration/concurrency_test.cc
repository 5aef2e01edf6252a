// Concurrent clients against one server: unique, contiguous risk ids; every
// acknowledged write readable; a valid hash chain; no lost updates on one
// stream; and projections rebuilt from the log equal to the live ones.
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/barrier.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/server/server.h"
#include "storage/chain_verifier.h"
#include "tests/integration/server_fixture.h"

namespace riskledger::integration {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using Stub = v1::AssessmentService::Stub;

constexpr int kThreads = 6;
constexpr int kCallsPerThread = 20;
constexpr int kRisks = kThreads * kCallsPerThread;
// A client resends an ABORTED request (same request_id, so it is safe) at
// most this often.
constexpr int kClientAttempts = 50;

// What one client thread did.
struct ClientLog {
  std::vector<v1::Risk> created;
  std::vector<v1::Risk> analysed;
  int aborted = 0;  // ABORTED answers that the client retried
  std::vector<std::string> errors;
};

// M6 order of two listed risks: does `a` come before `b`?
bool PrecedesByPriority(const v1::Risk& a, const v1::Risk& b) {
  const v1::RiskAnalysis& x = a.analysis();
  const v1::RiskAnalysis& y = b.analysis();
  if (x.level() != y.level()) return x.level() > y.level();
  if (x.impact() != y.impact()) return x.impact() > y.impact();
  if (x.likelihood() != y.likelihood()) return x.likelihood() > y.likelihood();
  return a.risk_id() < b.risk_id();
}

template <typename Message>
void ExpectSameMessages(const std::vector<Message>& actual,
                        const std::vector<Message>& expected,
                        const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(actual[i], expected[i]))
        << what << "[" << i << "]\nactual:   " << actual[i].ShortDebugString()
        << "\nexpected: " << expected[i].ShortDebugString();
  }
}

class ConcurrencyTest : public ServerTest {
 protected:
  // Sends `request` until it is not ABORTED (the same request_id makes the
  // resend safe), counting the ABORTED answers in `log`.
  template <typename Request, typename Response>
  RpcResult<Response> CallRetryingAborted(StubMethod<Request, Response> method,
                                          const Request& request,
                                          ClientLog& log) {
    RpcResult<Response> result;
    for (int attempt = 0; attempt < kClientAttempts; ++attempt) {
      result = Call(method, request);
      if (result.status.error_code() != grpc::StatusCode::ABORTED) break;
      ++log.aborted;
    }
    return result;
  }

  // Sends `copies` identical requests from as many threads released together
  // (a client retrying while its first attempt is still in flight).
  template <typename Request, typename Response>
  std::vector<RpcResult<Response>> SendConcurrently(
      StubMethod<Request, Response> method, const Request& request,
      int copies) {
    std::vector<RpcResult<Response>> results(copies);
    absl::Barrier* start = new absl::Barrier(copies);
    std::vector<std::thread> threads;
    threads.reserve(copies);
    for (int c = 0; c < copies; ++c) {
      threads.emplace_back([&, c] {
        if (start->Block()) delete start;
        results[c] = Call(method, request);
      });
    }
    for (std::thread& thread : threads) thread.join();
    return results;
  }

  // kThreads clients each create kCallsPerThread risks and analyse each one
  // right away. Returns every client's log.
  std::vector<ClientLog> CreateAndAnalyseConcurrently(
      const std::vector<std::string>& assets) {
    std::vector<ClientLog> logs(kThreads);
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([this, t, &assets, &logs] {
        ClientLog& log = logs[t];
        for (int i = 0; i < kCallsPerThread; ++i) {
          v1::CreateRiskRequest create;
          create.set_parent(kTenant);
          *create.mutable_risk() = ValidRisk(assets[(t + i) % assets.size()]);
          create.mutable_risk()->set_owner(absl::StrCat("owner-", t));
          create.set_request_id(absl::StrCat("create-", t, "-", i));
          RpcResult<v1::Risk> created =
              CallRetryingAborted(&Stub::CreateRisk, create, log);
          if (!created.ok()) {
            log.errors.push_back(absl::StrCat("CreateRisk ", t, "/", i, ": ",
                                              DescribeStatus(created.status)));
            continue;
          }
          log.created.push_back(created.response);

          v1::AnalyseRiskRequest analyse;
          analyse.set_name(created.response.name());
          analyse.set_impact(1 + (t + i) % 5);
          analyse.set_likelihood(1 + (3 * i + t) % 5);
          analyse.set_impact_rationale(absl::StrCat("impact by client ", t));
          analyse.set_likelihood_rationale("estimate");
          analyse.set_request_id(absl::StrCat("analyse-", t, "-", i));
          RpcResult<v1::Risk> analysed =
              CallRetryingAborted(&Stub::AnalyseRisk, analyse, log);
          if (!analysed.ok()) {
            log.errors.push_back(absl::StrCat("AnalyseRisk ", t, "/", i, ": ",
                                              DescribeStatus(analysed.status)));
            continue;
          }
          log.analysed.push_back(analysed.response);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    int aborted = 0;
    for (const ClientLog& log : logs) aborted += log.aborted;
    RecordProperty("aborted_answers_retried_by_clients", aborted);
    return logs;
  }
};

TEST_F(ConcurrencyTest, ConcurrentCreatesGetContiguousIdsAndAValidChain) {
  const std::vector<std::string> assets = {
      CreateAsset(kTenant, "payroll").name(),
      CreateAsset(kTenant, "crm").name()};
  std::vector<ClientLog> logs = CreateAndAnalyseConcurrently(assets);

  std::vector<v1::Risk> created;
  std::vector<v1::Risk> analysed;
  for (const ClientLog& log : logs) {
    EXPECT_THAT(log.errors, IsEmpty());
    created.insert(created.end(), log.created.begin(), log.created.end());
    analysed.insert(analysed.end(), log.analysed.begin(), log.analysed.end());
  }
  ASSERT_EQ(created.size(), static_cast<size_t>(kRisks));
  ASSERT_EQ(analysed.size(), static_cast<size_t>(kRisks));

  // Ids: unique and contiguous R-2026-0001..N.
  std::set<std::string> ids;
  for (const v1::Risk& risk : created) {
    EXPECT_TRUE(ids.insert(risk.risk_id()).second)
        << "duplicate id " << risk.risk_id();
    EXPECT_EQ(risk.etag(), "1") << risk.risk_id();
  }
  std::vector<std::string> expected_ids;
  for (int n = 1; n <= kRisks; ++n) {
    expected_ids.push_back(absl::StrFormat("R-2026-%04d", n));
  }
  EXPECT_THAT(std::vector<std::string>(ids.begin(), ids.end()),
              ElementsAreArray(expected_ids));

  // Every acknowledged analysis is what GetRisk returns.
  for (const v1::Risk& acknowledged : analysed) {
    v1::Risk stored = GetRisk(acknowledged.name());
    EXPECT_TRUE(MessageDifferencer::Equals(stored, acknowledged))
        << acknowledged.name();
    EXPECT_EQ(stored.status(), v1::RISK_STATUS_ANALYSED);
    EXPECT_EQ(stored.etag(), "2");
    EXPECT_EQ(stored.analysis().computed_level(),
              stored.analysis().impact() * stored.analysis().likelihood());
  }

  // ListRisks returns all N, in M6 order by default and by id on request.
  std::vector<v1::Risk> by_priority = ListAllRisks(kTenant, "", "", 1000);
  ASSERT_EQ(by_priority.size(), static_cast<size_t>(kRisks));
  for (size_t i = 1; i < by_priority.size(); ++i) {
    EXPECT_TRUE(PrecedesByPriority(by_priority[i - 1], by_priority[i]))
        << by_priority[i - 1].risk_id() << " before "
        << by_priority[i].risk_id();
  }
  v1::ListRisksRequest default_page;
  default_page.set_parent(kTenant);
  v1::ListRisksResponse first_page = Must(&Stub::ListRisks, default_page);
  EXPECT_EQ(first_page.risks_size(), 50);  // the documented default
  EXPECT_FALSE(first_page.next_page_token().empty());
  std::vector<v1::Risk> by_id = ListAllRisks(kTenant, "", "risk_id", 7);
  ASSERT_EQ(by_id.size(), static_cast<size_t>(kRisks));
  for (int i = 0; i < kRisks; ++i)
    EXPECT_EQ(by_id[i].risk_id(), expected_ids[i]);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(
        ListAllRisks(kTenant, absl::StrCat("owner = \"owner-", t, "\"")).size(),
        static_cast<size_t>(kCallsPerThread))
        << "owner-" << t;
  }

  // The log: 2 assets, 3 events per created risk (id, risk, component
  // reference), 1 per analysis; nothing doubled by the clients' retries; the
  // chain verifies.
  const storage::ChainHead head = LogHead();
  EXPECT_EQ(head.position, 2 + 3 * kRisks + kRisks);
  EXPECT_EQ(CountLogEvents(), head.position);
  absl::StatusOr<storage::ChainHead> verified =
      storage::VerifyChain(event_store());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->position, head.position);
  EXPECT_EQ(verified->hash, head.hash);
}

TEST_F(ConcurrencyTest, ConcurrentWritersOnOneRiskLoseNoUpdate) {
  const std::string asset = CreateAsset(kTenant, "payroll").name();
  const std::string risk = CreateRisk(kTenant, ValidRisk(asset)).name();
  constexpr int kWritesPerThread = 5;

  // Half the clients send their etag (optimistic concurrency: ABORTED when
  // stale); the other half send none (the server re-decides on conflict).
  std::vector<std::vector<v1::Risk>> acknowledged(kThreads);
  std::vector<int> aborted(kThreads, 0);
  std::vector<std::vector<std::string>> errors(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        v1::AnalyseRiskRequest request;
        request.set_name(risk);
        request.set_impact(1 + t % 5);
        request.set_likelihood(1 + i % 5);
        request.set_impact_rationale(absl::StrCat("client ", t));
        request.set_likelihood_rationale(absl::StrCat("write ", i));
        if (t % 2 == 0) {
          v1::GetRiskRequest get;
          get.set_name(risk);
          RpcResult<v1::Risk> current = Call(&Stub::GetRisk, get);
          if (!current.ok()) {
            errors[t].push_back(DescribeStatus(current.status));
            continue;
          }
          request.set_etag(current.response.etag());
        }
        RpcResult<v1::Risk> result = Call(&Stub::AnalyseRisk, request);
        if (result.ok()) {
          acknowledged[t].push_back(result.response);
        } else if (result.status.error_code() == grpc::StatusCode::ABORTED) {
          ++aborted[t];
        } else {
          errors[t].push_back(DescribeStatus(result.status));
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::set<std::string> etags;
  int acknowledged_count = 0;
  int aborted_count = 0;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_THAT(errors[t], IsEmpty()) << "client " << t;
    aborted_count += aborted[t];
    for (const v1::Risk& risk_version : acknowledged[t]) {
      ++acknowledged_count;
      // Two acknowledged writes with one resulting version = a lost update.
      EXPECT_TRUE(etags.insert(risk_version.etag()).second)
          << "etag " << risk_version.etag() << " acknowledged twice";
    }
  }
  RecordProperty("aborted_stale_writes", aborted_count);
  ASSERT_GT(acknowledged_count, 0);

  // The stream holds the creation plus exactly one event per acknowledged
  // write, and the history lists each of them in log order.
  v1::Risk final_risk = GetRisk(risk);
  EXPECT_EQ(final_risk.etag(), absl::StrCat(1 + acknowledged_count));
  v1::ListScoreHistoryRequest history_request;
  history_request.set_parent(risk);
  history_request.set_page_size(1000);
  v1::ListScoreHistoryResponse history =
      Must(&Stub::ListScoreHistory, history_request);
  EXPECT_EQ(history.entries_size(), acknowledged_count);
  for (int i = 1; i < history.entries_size(); ++i) {
    EXPECT_LT(history.entries(i - 1).audit().log_position(),
              history.entries(i).audit().log_position());
  }
  // The last entry's "after" values are the risk's current scores.
  if (history.entries_size() > 0) {
    const v1::ScoreHistoryEntry& last =
        history.entries(history.entries_size() - 1);
    EXPECT_NE(etags.find(final_risk.etag()), etags.end());
    for (const v1::ScoreChange& change : last.changes()) {
      if (change.field() == "impact") {
        EXPECT_EQ(change.after(), final_risk.analysis().impact());
      }
      if (change.field() == "likelihood") {
        EXPECT_EQ(change.after(), final_risk.analysis().likelihood());
      }
    }
  }
  // The asset, the risk's three creation events, one per acknowledged write.
  EXPECT_EQ(LogHead().position, 1 + 3 + acknowledged_count);
  absl::StatusOr<storage::ChainHead> verified =
      storage::VerifyChain(event_store());
  ASSERT_TRUE(verified.ok()) << verified.status();
}

// AIP-155: a retry with the same request_id returns the first result, also
// when it arrives while the first attempt is still being decided.
// Known failure (product): CommandExecutor::Execute
// (services/common/command_executor.cc) looks the idempotency key up once,
// before decide(); a retry that misses it and then decides after the first
// attempt committed returns decide()'s error (ALREADY_EXISTS from CreateAsset,
// ABORTED from a stale etag) instead of the stored response.
// M3 across two resources: a risk naming a component and the removal of that
// component race; at most one may win, never both.
TEST_F(ConcurrencyTest, RemovingAComponentRacesARiskThatNamesIt) {
  constexpr int kRounds = 40;
  int risk_won = 0;
  int removal_won = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    const std::string asset =
        CreateAsset(kTenant, absl::StrCat("race-", round)).name();
    v1::CreateRiskRequest create;
    create.set_parent(kTenant);
    *create.mutable_risk() = ValidRisk(asset);
    create.mutable_risk()->set_component("database");
    v1::UpdateAssetRequest remove;
    remove.mutable_asset()->set_name(asset);
    remove.mutable_asset()->add_components()->set_name("web-frontend");
    remove.mutable_update_mask()->add_paths("components");

    RpcResult<v1::Risk> created;
    RpcResult<v1::Asset> removed;
    absl::Barrier* start = new absl::Barrier(2);
    std::thread creator([&] {
      if (start->Block()) delete start;
      created = Call(&Stub::CreateRisk, create);
    });
    std::thread remover([&] {
      if (start->Block()) delete start;
      removed = Call(&Stub::UpdateAsset, remove);
    });
    creator.join();
    remover.join();

    EXPECT_FALSE(created.ok() && removed.ok())
        << "both committed: " << created.response.risk_id()
        << " names a component its asset no longer has";
    EXPECT_TRUE(created.ok() || removed.ok());
    if (created.ok()) {
      ++risk_won;
      EXPECT_EQ(removed.status.error_code(),
                grpc::StatusCode::FAILED_PRECONDITION)
          << DescribeStatus(removed.status);
    } else {
      ++removal_won;
      EXPECT_EQ(created.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << DescribeStatus(created.status);
    }
  }
  RecordProperty("risk_won", risk_won);
  RecordProperty("removal_won", removal_won);
}

TEST_F(ConcurrencyTest, SimultaneousRetriesOfCreateAssetGetTheFirstResult) {
  constexpr int kRounds = 100;
  constexpr int kCopies = 16;
  int rejected = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    v1::CreateAssetRequest request;
    request.set_parent(kTenant);
    request.set_asset_id(absl::StrCat("asset-", round));
    *request.mutable_asset() = ValidAsset();
    request.set_request_id(absl::StrCat("create-asset-", round));
    const int64_t head = LogHead().position;
    std::vector<RpcResult<v1::Asset>> results =
        SendConcurrently(&Stub::CreateAsset, request, kCopies);
    const v1::Asset stored = GetAsset(AssetName(kTenant, request.asset_id()));
    for (const RpcResult<v1::Asset>& result : results) {
      if (!result.ok()) {
        ++rejected;
        ADD_FAILURE() << "a retry of an acknowledged CreateAsset was answered "
                      << DescribeStatus(result.status);
        continue;
      }
      EXPECT_TRUE(MessageDifferencer::Equals(result.response, stored));
    }
    EXPECT_EQ(LogHead().position, head + 1);
  }
  RecordProperty("rejected_retries", rejected);
}

TEST_F(ConcurrencyTest, SimultaneousRetriesOfAnEtaggedUpdateGetTheFirstResult) {
  constexpr int kRounds = 100;
  constexpr int kCopies = 16;
  const std::string asset = CreateAsset(kTenant, "payroll").name();
  int rejected = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    v1::UpdateAssetRequest request;
    request.mutable_asset()->set_name(asset);
    request.mutable_asset()->set_owner(absl::StrCat("owner-", round));
    request.mutable_asset()->set_etag(absl::StrCat(round + 1));
    request.set_request_id(absl::StrCat("update-asset-", round));
    const int64_t head = LogHead().position;
    std::vector<RpcResult<v1::Asset>> results =
        SendConcurrently(&Stub::UpdateAsset, request, kCopies);
    const v1::Asset stored = GetAsset(asset);
    EXPECT_EQ(stored.etag(), absl::StrCat(round + 2));
    for (const RpcResult<v1::Asset>& result : results) {
      if (!result.ok()) {
        ++rejected;
        ADD_FAILURE() << "a retry of an acknowledged UpdateAsset was answered "
                      << DescribeStatus(result.status);
        continue;
      }
      EXPECT_TRUE(MessageDifferencer::Equals(result.response, stored));
    }
    EXPECT_EQ(LogHead().position, head + 1);
  }
  RecordProperty("rejected_retries", rejected);
}

TEST_F(ConcurrencyTest, SimultaneousRetriesOfCreateRiskGetTheFirstResult) {
  const std::string asset = CreateAsset(kTenant, "payroll").name();
  constexpr int kRounds = 30;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    v1::CreateRiskRequest request;
    request.set_parent(kTenant);
    *request.mutable_risk() = ValidRisk(asset);
    request.set_request_id(absl::StrCat("create-risk-", round));
    const int64_t head = LogHead().position;
    std::vector<RpcResult<v1::Risk>> results =
        SendConcurrently(&Stub::CreateRisk, request, kThreads);
    for (const RpcResult<v1::Risk>& result : results) {
      ASSERT_TRUE(result.ok()) << DescribeStatus(result.status);
      EXPECT_EQ(result.response.risk_id(),
                absl::StrFormat("R-2026-%04d", round + 1));
      EXPECT_TRUE(
          MessageDifferencer::Equals(result.response, results[0].response));
    }
    EXPECT_EQ(LogHead().position, head + 3);  // id, risk, component reference
  }
  EXPECT_EQ(ListAllRisks(kTenant).size(), static_cast<size_t>(kRounds));
}

// Everything the read side answers, for comparing before and after a rebuild.
struct ReadSnapshot {
  std::vector<v1::Risk> by_priority;
  std::vector<v1::Risk> by_id;
  std::vector<v1::Risk> high_band;
  std::vector<v1::Risk> gets;
  std::vector<v1::Asset> assets;
  std::vector<v1::Asset> other_tenant_assets;
  std::vector<v1::ImpactAnalysis> analyses;
};

// Parameter: the rebuild's memory budget; a small one makes it write its
// values out and read them back from the store as it goes.
class ProjectionRebuildTest : public ConcurrencyTest,
                              public ::testing::WithParamInterface<size_t> {
 protected:
  // Every projection entry (read models, indexes and aggregate states).
  std::vector<std::pair<std::string, std::string>> DumpProjections() {
    std::vector<std::pair<std::string, std::string>> entries;
    for (storage::ProjectionTable table :
         {storage::ProjectionTable::kState, storage::ProjectionTable::kIndex}) {
      std::string after;
      for (;;) {
        auto chunk = event_store().ScanProjection(table, "", after, 500);
        EXPECT_TRUE(chunk.ok()) << chunk.status();
        if (!chunk.ok() || chunk->empty()) break;
        for (auto& entry : *chunk) {
          entries.emplace_back(
              absl::StrCat(table == storage::ProjectionTable::kState ? "S "
                                                                     : "I ",
                           entry.first),
              entry.second);
        }
        after = chunk->back().first;
      }
    }
    return entries;
  }

  ReadSnapshot Snapshot(const std::vector<std::string>& asset_names) {
    ReadSnapshot snapshot;
    snapshot.by_priority = ListAllRisks(kTenant, "", "", 1000);
    snapshot.by_id = ListAllRisks(kTenant, "", "risk_id", 9);
    snapshot.high_band = ListAllRisks(kTenant, "band = \"high\"", "", 4);
    for (const v1::Risk& risk : snapshot.by_id) {
      snapshot.gets.push_back(GetRisk(risk.name()));
    }
    snapshot.assets = ListAllAssets(kTenant, 1);
    snapshot.other_tenant_assets = ListAllAssets(kOtherTenant);
    for (const std::string& asset : asset_names) {
      v1::ListImpactAnalysesRequest request;
      request.set_parent(asset);
      const v1::ListImpactAnalysesResponse response =
          Must(&Stub::ListImpactAnalyses, request);
      for (const v1::ImpactAnalysis& analysis : response.impact_analyses()) {
        snapshot.analyses.push_back(analysis);
      }
    }
    return snapshot;
  }
};

TEST_P(ProjectionRebuildTest, RebuiltProjectionsEqualTheLiveOnes) {
  const std::vector<std::string> assets = {
      CreateAsset(kTenant, "payroll").name(),
      CreateAsset(kTenant, "crm").name(), CreateAsset(kTenant, "web").name()};
  CreateAsset(kOtherTenant, "erp");
  RecordImpactAnalysis(assets[0], CategoryScores(2));
  RecordImpactAnalysis(assets[0], CategoryScores(2, {{"privacy", 5}}));
  RecordImpactAnalysis(assets[1], CategoryScores(3));
  v1::UpdateAssetRequest update_asset;
  update_asset.mutable_asset()->set_name(assets[2]);
  update_asset.mutable_asset()->set_owner("bob");
  Must(&Stub::UpdateAsset, update_asset);

  std::vector<ClientLog> logs = CreateAndAnalyseConcurrently(assets);
  for (const ClientLog& log : logs) EXPECT_THAT(log.errors, IsEmpty());
  // Every event type: updates and adjustments of some risks too.
  for (int n = 1; n <= 10; ++n) {
    const std::string name =
        RiskName(kTenant, absl::StrFormat("R-2026-%04d", n));
    if (n % 2 == 0) {
      v1::AdjustRiskLevelRequest adjust;
      adjust.set_name(name);
      adjust.set_adjusted_level(15 + n % 5);
      adjust.set_rationale("escalated after review");
      Must(&Stub::AdjustRiskLevel, adjust);
    } else {
      v1::UpdateRiskRequest update;
      update.mutable_risk()->set_name(name);
      update.mutable_risk()->set_risk_event("service outage");
      update.mutable_update_mask()->add_paths("risk_event");
      Must(&Stub::UpdateRisk, update);
    }
  }
  // A risk that moves to another component (usage released and taken).
  v1::UpdateRiskRequest move;
  move.mutable_risk()->set_name(RiskName(kTenant, "R-2026-0003"));
  move.mutable_risk()->set_component("web-frontend");
  move.mutable_update_mask()->add_paths("component");
  Must(&Stub::UpdateRisk, move);
  v1::CreateRiskRequest retried;
  retried.set_parent(kTenant);
  *retried.mutable_risk() = ValidRisk(assets[0]);
  retried.set_request_id("before-rebuild");
  const v1::Risk first_answer = Must(&Stub::CreateRisk, retried);

  const ReadSnapshot before = Snapshot(assets);
  const auto projections_before = DumpProjections();
  ASSERT_EQ(before.by_priority.size(), static_cast<size_t>(kRisks + 1));
  ASSERT_FALSE(before.high_band.empty());
  const storage::ChainHead head = LogHead();

  StopServer();
  absl::Status rebuilt = server::RebuildProjections(data_dir(), GetParam());
  ASSERT_TRUE(rebuilt.ok()) << rebuilt;
  StartServer();
  ASSERT_FALSE(HasFatalFailure());

  EXPECT_EQ(LogHead().position, head.position);
  EXPECT_EQ(LogHead().hash, head.hash);
  // The registry the rebuild used holds every projector the live path ran:
  // the derived state is the same, byte for byte.
  const auto projections_after = DumpProjections();
  EXPECT_EQ(projections_after.size(), projections_before.size());
  EXPECT_TRUE(projections_after == projections_before)
      << "rebuilt projections differ from the live ones";
  const ReadSnapshot after = Snapshot(assets);
  ExpectSameMessages(after.by_priority, before.by_priority, "by_priority");
  ExpectSameMessages(after.by_id, before.by_id, "by_id");
  ExpectSameMessages(after.high_band, before.high_band, "high_band");
  ExpectSameMessages(after.gets, before.gets, "GetRisk");
  ExpectSameMessages(after.assets, before.assets, "assets");
  ExpectSameMessages(after.other_tenant_assets, before.other_tenant_assets,
                     "other_tenant_assets");
  ExpectSameMessages(after.analyses, before.analyses, "impact analyses");

  // Idempotency records survive the rebuild; the id sequence continues.
  EXPECT_TRUE(MessageDifferencer::Equals(Must(&Stub::CreateRisk, retried),
                                         first_answer));
  EXPECT_EQ(LogHead().position, head.position);
  EXPECT_EQ(CreateRisk(kTenant, ValidRisk(assets[1])).risk_id(),
            absl::StrFormat("R-2026-%04d", kRisks + 2));
  absl::StatusOr<storage::ChainHead> verified =
      storage::VerifyChain(event_store());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(CountLogEvents(), verified->position);
}

INSTANTIATE_TEST_SUITE_P(
    MemoryBudget, ProjectionRebuildTest,
    ::testing::Values(storage::kDefaultRebuildMemoryBytes, size_t{4096}),
    [](const ::testing::TestParamInfo<size_t>& info) {
      return info.param == storage::kDefaultRebuildMemoryBytes
                 ? std::string("AllInMemory")
                 : absl::StrCat("WrittenOutPast", info.param, "Bytes");
    });

}  // namespace
}  // namespace riskledger::integration
