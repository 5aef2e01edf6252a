// Crash test: riskledgerd, under concurrent writers that log every
// acknowledged write, is killed with SIGKILL after a random number of
// acknowledgements and restarted on the same data directory, round after
// round. Every acknowledged write must survive, a retry of an acknowledged
// request must get the first answer, risk ids must have no holes, the log
// must verify, and the projections must equal a full replay of the log.
// RISKLEDGER_CRASH_ROUNDS (default 20) sets the rounds: README "Crash test"
// documents the longer run.
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "riskledger/v1/assessment_service.grpc.pb.h"
#include "tests/server/daemon.h"
#include "tests/testing/temp_dir.h"

namespace riskledger {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr char kTenant[] = "tenants/crash";
constexpr char kAsset[] = "tenants/crash/assets/payroll";
constexpr int kWriters = 4;

int Rounds() {
  const char* rounds = std::getenv("RISKLEDGER_CRASH_ROUNDS");
  int parsed = 0;
  return rounds != nullptr && absl::SimpleAtoi(rounds, &parsed) && parsed > 0
             ? parsed
             : 20;
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

// One acknowledged mutation: what was asked and what was answered.
struct Acked {
  bool create = false;
  v1::CreateRiskRequest create_request;
  v1::AnalyseRiskRequest analyse_request;
  v1::Risk response;
};

class CrashTest : public ::testing::Test {
 protected:
  std::unique_ptr<Daemon> Start() {
    auto daemon = std::make_unique<Daemon>(std::vector<std::string>{
        "--listen=127.0.0.1:0", "--data_dir=" + dir_.Sub("data")});
    port_ = StartAndReadPort(*daemon);
    EXPECT_GT(port_, 0) << daemon->output();
    stub_ = v1::AssessmentService::NewStub(LoopbackChannel(port_));
    return daemon;
  }

  v1::Risk GetRisk(const std::string& name) {
    v1::GetRiskRequest request;
    request.set_name(name);
    v1::Risk risk;
    grpc::Status status = stub_->GetRisk(Context().get(), request, &risk);
    EXPECT_TRUE(status.ok()) << name << ": " << status.error_message();
    return risk;
  }

  // Every risk of the tenant in risk-id order.
  std::vector<v1::Risk> AllRisks() {
    std::vector<v1::Risk> risks;
    v1::ListRisksRequest request;
    request.set_parent(kTenant);
    request.set_order_by("risk_id");
    request.set_page_size(1000);
    for (;;) {
      v1::ListRisksResponse page;
      grpc::Status status = stub_->ListRisks(Context().get(), request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return risks;
      for (const v1::Risk& risk : page.risks()) risks.push_back(risk);
      if (page.next_page_token().empty()) return risks;
      request.set_page_token(page.next_page_token());
    }
  }

  static v1::CreateRiskRequest NewRisk(const std::string& request_id) {
    v1::CreateRiskRequest request;
    request.set_parent(kTenant);
    request.set_request_id(request_id);
    v1::Risk& risk = *request.mutable_risk();
    risk.set_asset(kAsset);
    risk.set_component(request_id.back() % 2 == 0 ? "database" : "web");
    risk.set_vulnerability("weak passwords");
    risk.mutable_threat()->set_actor("external attacker");
    risk.set_risk_factor("credential stuffing");
    risk.set_risk_event("account takeover");
    risk.set_loss("disclosure of salaries");
    risk.add_affected_properties(v1::SECURITY_PROPERTY_CONFIDENTIALITY);
    risk.set_owner("alice");
    risk.set_source(v1::RISK_SOURCE_INTERNAL);
    return request;
  }

  // Writers run until the daemon dies; the test kills it once `kill_after`
  // writes were acknowledged.
  void LoadUntilKilled(Daemon& daemon, int round, int kill_after) {
    std::atomic<int> acked{0};
    std::atomic<bool> killed{false};
    std::mutex mu;
    std::vector<std::thread> writers;
    writers.reserve(kWriters);
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        std::mt19937 random(round * 100 + w);
        for (int i = 0;; ++i) {
          const std::string id = absl::StrFormat("r%d-w%d-%d", round, w, i);
          Acked ack;
          grpc::Status status;
          std::string target;
          {
            std::lock_guard<std::mutex> lock(mu);
            if (!created_.empty() && random() % 2 == 0) {
              target = created_[random() % created_.size()];
            }
          }
          if (target.empty()) {
            ack.create = true;
            ack.create_request = NewRisk(id);
            status = stub_->CreateRisk(Context().get(), ack.create_request,
                                       &ack.response);
          } else {
            v1::AnalyseRiskRequest& analyse = ack.analyse_request;
            analyse.set_name(target);
            analyse.set_impact(1 + static_cast<int>(random() % 5));
            analyse.set_likelihood(1 + static_cast<int>(random() % 5));
            analyse.set_impact_rationale("crash test");
            analyse.set_likelihood_rationale("crash test");
            analyse.set_request_id(id);
            status = stub_->AnalyseRisk(Context().get(), analyse,
                                        &ack.response);
          }
          if (!status.ok()) {
            // Only the kill may stop a writer; anything else is a failure.
            if (!killed.load()) {
              ADD_FAILURE() << id << ": " << status.error_message();
            }
            return;
          }
          {
            std::lock_guard<std::mutex> lock(mu);
            if (ack.create) created_.push_back(ack.response.name());
            acked_.push_back(std::move(ack));
          }
          if (acked.fetch_add(1) + 1 == kill_after) {
            killed.store(true);
            daemon.Signal(SIGKILL);
          }
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
    if (!killed.load()) daemon.Signal(SIGKILL);  // writers failed: stop it
    EXPECT_EQ(daemon.Wait(), -1) << "the daemon was not killed";
  }

  // Every acknowledged write since `from` is there (the risk's etag is at
  // least the acknowledged one); retries of those since the last round get
  // the first answer.
  void ExpectAcknowledgedWritesSurvived(size_t from) {
    std::map<std::string, int64_t> newest_etag;
    for (size_t i = from; i < acked_.size(); ++i) {
      const Acked& ack = acked_[i];
      int64_t etag = 0;
      ASSERT_TRUE(absl::SimpleAtoi(ack.response.etag(), &etag));
      int64_t& newest = newest_etag[ack.response.name()];
      newest = std::max(newest, etag);
    }
    for (const auto& [name, etag] : newest_etag) {
      int64_t now = 0;
      ASSERT_TRUE(absl::SimpleAtoi(GetRisk(name).etag(), &now)) << name;
      EXPECT_GE(now, etag) << name << " lost an acknowledged write";
    }
    for (size_t i = retried_; i < acked_.size(); ++i) {
      const Acked& ack = acked_[i];
      v1::Risk again;
      grpc::Status status =
          ack.create ? stub_->CreateRisk(Context().get(), ack.create_request,
                                         &again)
                     : stub_->AnalyseRisk(Context().get(), ack.analyse_request,
                                          &again);
      ASSERT_TRUE(status.ok()) << status.error_message();
      EXPECT_TRUE(MessageDifferencer::Equals(again, ack.response))
          << "a retry got another answer than the acknowledged one";
    }
    retried_ = acked_.size();
  }

  testing::TempDir dir_;
  int port_ = 0;
  std::unique_ptr<v1::AssessmentService::Stub> stub_;
  std::vector<std::string> created_;
  std::vector<Acked> acked_;
  size_t retried_ = 0;
};

TEST_F(CrashTest, AcknowledgedWritesSurviveRepeatedKills) {
  std::unique_ptr<Daemon> daemon = Start();
  ASSERT_GT(port_, 0);
  v1::CreateAssetRequest asset;
  asset.set_parent(kTenant);
  asset.set_asset_id("payroll");
  asset.mutable_asset()->set_display_name("Payroll");
  asset.mutable_asset()->set_owner("alice");
  asset.mutable_asset()->add_components()->set_name("database");
  asset.mutable_asset()->add_components()->set_name("web");
  v1::Asset created;
  ASSERT_TRUE(stub_->CreateAsset(Context().get(), asset, &created).ok());

  std::mt19937 random(7);
  const int rounds = Rounds();
  for (int round = 0; round < rounds; ++round) {
    LoadUntilKilled(*daemon, round,
                    20 + static_cast<int>(random() % 200));
    daemon = Start();
    ASSERT_GT(port_, 0) << "round " << round << ": " << daemon->output();
    ExpectAcknowledgedWritesSurvived(retried_);
    ASSERT_FALSE(HasFailure()) << "round " << round;
  }
  ExpectAcknowledgedWritesSurvived(0);  // all rounds, once more
  std::cout << acked_.size() << " acknowledged writes survived " << rounds
            << " kills\n";

  // M3: ids R-YYYY-0001.. with no hole, and every acknowledged risk among
  // them.
  const std::vector<v1::Risk> before = AllRisks();
  std::set<std::string> ids;
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(before[i].risk_id(),
              absl::StrFormat("R-%s-%04d", before[i].risk_id().substr(2, 4),
                              i + 1));
    ids.insert(before[i].name());
  }
  for (const std::string& name : created_) EXPECT_EQ(ids.count(name), 1u);

  // The log verifies, and projections equal a full replay of it.
  daemon->Signal(SIGTERM);
  ASSERT_EQ(daemon->Wait(), 0) << daemon->output();
  Daemon verify({"--verify_chain", "--data_dir=" + dir_.Sub("data")});
  EXPECT_EQ(verify.Wait(), 0) << verify.output();
  Daemon rebuild({"--rebuild_projections", "--data_dir=" + dir_.Sub("data")});
  ASSERT_EQ(rebuild.Wait(), 0) << rebuild.output();
  daemon = Start();
  const std::vector<v1::Risk> after = AllRisks();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(after[i], before[i]))
        << before[i].name() << " differs after a rebuild";
  }
  v1::GetAssetRequest get_asset;
  get_asset.set_name(kAsset);
  v1::Asset asset_after;
  EXPECT_TRUE(stub_->GetAsset(Context().get(), get_asset, &asset_after).ok());
  EXPECT_EQ(asset_after.components_size(), 2);
}

}  // namespace
}  // namespace riskledger
