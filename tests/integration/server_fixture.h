// End-to-end test fixture: the real RiskledgerServer on a loopback port 0 with
// a temporary data directory and a deterministic clock, a gRPC channel and an
// AssessmentService stub, plus builders of valid requests and readers of the
// rich error details (google.rpc.BadRequest, google.rpc.ErrorInfo).
#ifndef RISKLEDGER_TESTS_INTEGRATION_SERVER_FIXTURE_H_
#define RISKLEDGER_TESTS_INTEGRATION_SERVER_FIXTURE_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "riskledger/v1/assessment_service.grpc.pb.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/server/server.h"
#include "storage/event_store.h"
#include "tests/testing/temp_dir.h"

namespace riskledger::integration {

// 2026-03-01T10:00:00Z, the default first reading of the test clock.
absl::Time DefaultClockStart();

// A clock that returns `start`, `start + step`, `start + 2 * step`, ... one
// value per call. Thread-safe: concurrent calls get distinct values.
class SteppingClock {
 public:
  SteppingClock(absl::Time start, absl::Duration step);

  // The next reading; advances the clock.
  absl::Time Now() ABSL_LOCKS_EXCLUDED(mu_);
  // The reading the next Now() will return, without advancing.
  absl::Time Peek() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  absl::Time next_ ABSL_GUARDED_BY(mu_);
  const absl::Duration step_;
};

// The outcome of one RPC: its status and (when OK) its response.
template <typename Response>
struct RpcResult {
  grpc::Status status;
  Response response;
  bool ok() const { return status.ok(); }
};

// A blocking AssessmentService stub method, e.g. &Stub::GetRisk.
template <typename Request, typename Response>
using StubMethod = grpc::Status (v1::AssessmentService::Stub::*)(
    grpc::ClientContext*, const Request&, Response*);

// Deadline of every call the fixture makes; generous, it only stops a hang.
inline constexpr std::chrono::seconds kCallDeadline{30};

// Tenants and the fully qualified service name used throughout the tests.
inline constexpr char kTenant[] = "tenants/acme";
inline constexpr char kOtherTenant[] = "tenants/globex";
inline constexpr char kServiceName[] = "riskledger.v1.AssessmentService";
// The principal the server records until authentication exists.
inline constexpr char kPrincipal[] = "dev:local-operator";

// "/riskledger.v1.AssessmentService/<method>".
std::string FullMethod(const std::string& method);

// --- Request builders -------------------------------------------------------

// The nine impact-category ids of the default methodology, in its order.
const std::vector<std::string>& DefaultCategoryIds();

// One score per default category: `base` everywhere except `overrides`
// (category id -> score). Unknown override ids are added at the end.
google::protobuf::RepeatedPtrField<v1::CategoryScore> CategoryScores(
    int base, const std::map<std::string, int>& overrides = {});

// A valid asset owned by "alice" with components "database" and "web-frontend".
v1::Asset ValidAsset(const std::string& display_name = "Payroll system");

// A valid risk of `asset_name` (component "database", owner "alice",
// internal source, confidentiality and integrity affected).
v1::Risk ValidRisk(const std::string& asset_name);

// "<tenant>/assets/<asset_id>" and "<tenant>/risks/<risk_id>".
std::string AssetName(const std::string& tenant, const std::string& asset_id);
std::string RiskName(const std::string& tenant, const std::string& risk_id);

// A string of `count` copies of `unit` (a character or a UTF-8 sequence).
std::string Repeat(const std::string& unit, int count);

// --- Error details ----------------------------------------------------------

// The google.rpc.Status carried in the "grpc-status-details-bin" trailer;
// default (code 0, no details) when there is none or it does not parse.
google::rpc::Status RichStatus(const grpc::Status& status);

// The `field` of every google.rpc.BadRequest field violation, in order.
std::vector<std::string> ViolatedFields(const grpc::Status& status);

// metadata["rule"] of the google.rpc.ErrorInfo with reason "METHODOLOGY_RULE",
// or "" when there is none.
std::string ViolatedRule(const grpc::Status& status);

// "CODE: message [fields: a, b] [rule: M4]" for failure messages.
std::string DescribeStatus(const grpc::Status& status);

// The name of a gRPC status code, e.g. "INVALID_ARGUMENT".
std::string CodeName(grpc::StatusCode code);

// --- Fixture ----------------------------------------------------------------

// Starts a fresh server per test. Subclasses may call set_clock_start() or
// set_sync_writes() in their constructor.
class ServerTest : public ::testing::Test {
 protected:
  ServerTest();
  ~ServerTest() override;

  void SetUp() override;
  void TearDown() override;

  // Starts the server on the data directory (fatal failure if it cannot).
  void StartServer();
  // Shuts the server down (idempotent); the data directory stays.
  void StopServer();
  // StopServer + StartServer on the same data directory with a new channel
  // and stub. The clock keeps running.
  void Restart();

  // The head of the server's hash-chained log.
  storage::ChainHead LogHead();
  // Number of events in the log, counted by reading it from position 1.
  int64_t CountLogEvents();

  storage::EventStore& event_store() { return server_->event_store(); }
  server::RiskledgerServer& server() { return *server_; }
  v1::AssessmentService::Stub& stub() { return *stub_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const std::string& data_dir() const { return data_dir_; }
  SteppingClock& clock() { return *clock_; }
  void set_clock_start(absl::Time start) { clock_start_ = start; }
  // Whether the server syncs every append (default true); tests that do not
  // exercise durability may turn it off to run faster.
  void set_sync_writes(bool sync) { sync_writes_ = sync; }
  // The file system under the server's store (e.g. a FaultyFileSystem), and
  // how often storage tries to resume after a failed write.
  void set_file_system(std::shared_ptr<rocksdb::FileSystem> file_system) {
    file_system_ = std::move(file_system);
  }
  void set_backup_dir(std::string backup_dir) {
    backup_dir_ = std::move(backup_dir);
  }
  void set_storage_recovery_interval(absl::Duration interval) {
    storage_recovery_interval_ = interval;
  }

  // Calls `method` with a deadline.
  template <typename Request, typename Response>
  RpcResult<Response> Call(StubMethod<Request, Response> method,
                           const Request& request) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    RpcResult<Response> result;
    result.status = ((*stub_).*method)(&context, request, &result.response);
    return result;
  }

  // Calls `method` and records a non-fatal failure unless it succeeds.
  template <typename Request, typename Response>
  Response Must(StubMethod<Request, Response> method, const Request& request) {
    RpcResult<Response> result = Call(method, request);
    EXPECT_TRUE(result.ok()) << request.GetDescriptor()->name()
                             << " failed: " << DescribeStatus(result.status)
                             << "\nrequest: " << request.ShortDebugString();
    return result.response;
  }

  // Shorthands over Must() for the common calls.
  v1::Asset CreateAsset(const std::string& tenant, const std::string& asset_id,
                        const v1::Asset& asset = ValidAsset());
  v1::Risk CreateRisk(const std::string& tenant, const v1::Risk& risk,
                      const std::string& request_id = "");
  v1::Risk AnalyseRisk(const std::string& risk_name, int impact,
                       int likelihood);
  v1::ImpactAnalysis RecordImpactAnalysis(
      const std::string& asset_name,
      const google::protobuf::RepeatedPtrField<v1::CategoryScore>& scores,
      const std::string& justification = "yearly review");
  v1::Asset GetAsset(const std::string& name);
  v1::Risk GetRisk(const std::string& name);

  // Every risk of `tenant`, following page tokens.
  std::vector<v1::Risk> ListAllRisks(const std::string& tenant,
                                     const std::string& filter = "",
                                     const std::string& order_by = "",
                                     int page_size = 0,
                                     const v1::AsOf* as_of = nullptr);
  // Every asset of `tenant`, following page tokens.
  std::vector<v1::Asset> ListAllAssets(const std::string& tenant,
                                       int page_size = 0,
                                       const v1::AsOf* as_of = nullptr);

  // grpc.health.v1.Health/Check for `service` ("" = the whole server).
  // response is the ServingStatus number (1 = SERVING, 2 = NOT_SERVING).
  RpcResult<int> CheckHealth(const std::string& service);

 private:
  riskledger::testing::TempDir temp_dir_;
  std::string data_dir_;
  absl::Time clock_start_;
  bool sync_writes_ = true;
  std::shared_ptr<rocksdb::FileSystem> file_system_;
  std::string backup_dir_;
  absl::Duration storage_recovery_interval_ = absl::Seconds(1);
  std::shared_ptr<SteppingClock> clock_;
  std::unique_ptr<server::RiskledgerServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AssessmentService::Stub> stub_;
};

}  // namespace riskledger::integration

#endif  // RISKLEDGER_TESTS_INTEGRATION_SERVER_FIXTURE_H_
