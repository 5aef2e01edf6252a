// ServerTest: starts, restarts and stops the real server; request builders and
// error-detail readers shared by the integration tests.
#include "tests/integration/server_fixture.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/blocking_unary_call.h"
#include "google/protobuf/wrappers.pb.h"
#include "google/rpc/error_details.pb.h"

namespace riskledger::integration {

absl::Time DefaultClockStart() {
  return absl::FromCivil(absl::CivilSecond(2026, 3, 1, 10, 0, 0),
                         absl::UTCTimeZone());
}

SteppingClock::SteppingClock(absl::Time start, absl::Duration step)
    : next_(start), step_(step) {}

absl::Time SteppingClock::Now() {
  absl::MutexLock lock(&mu_);
  absl::Time now = next_;
  next_ += step_;
  return now;
}

absl::Time SteppingClock::Peek() const {
  absl::MutexLock lock(&mu_);
  return next_;
}

std::string FullMethod(const std::string& method) {
  return absl::StrCat("/", kServiceName, "/", method);
}

const std::vector<std::string>& DefaultCategoryIds() {
  static const auto* const kIds =
      new std::vector<std::string>{"achievement_of_objectives",
                                   "reputational_damage",
                                   "affected_parties",
                                   "legal_obligations",
                                   "accompanying_costs",
                                   "availability",
                                   "integrity",
                                   "confidentiality",
                                   "privacy"};
  return *kIds;
}

google::protobuf::RepeatedPtrField<v1::CategoryScore> CategoryScores(
    int base, const std::map<std::string, int>& overrides) {
  google::protobuf::RepeatedPtrField<v1::CategoryScore> scores;
  std::map<std::string, int> unused = overrides;
  for (const std::string& id : DefaultCategoryIds()) {
    v1::CategoryScore* score = scores.Add();
    score->set_category(id);
    auto it = unused.find(id);
    score->set_score(it == unused.end() ? base : it->second);
    if (it != unused.end()) unused.erase(it);
    score->set_rationale(absl::StrCat("scored ", score->score(), " for ", id));
  }
  for (const auto& [id, value] : unused) {
    v1::CategoryScore* score = scores.Add();
    score->set_category(id);
    score->set_score(value);
  }
  return scores;
}

v1::Asset ValidAsset(const std::string& display_name) {
  v1::Asset asset;
  asset.set_display_name(display_name);
  asset.set_description("Computes and pays salaries.");
  asset.set_information_system("HR");
  v1::Component* database = asset.add_components();
  database->set_name("database");
  database->set_description("PostgreSQL holding salary records");
  asset.add_components()->set_name("web-frontend");
  asset.set_owner("alice");
  asset.mutable_value_assessment()->set_confidentiality(v1::VALUE_LEVEL_HIGH);
  asset.mutable_value_assessment()->set_integrity(v1::VALUE_LEVEL_HIGH);
  asset.mutable_value_assessment()->set_availability(v1::VALUE_LEVEL_MEDIUM);
  asset.mutable_value_assessment()->set_rationale("salaries are sensitive");
  asset.mutable_personal_data()->set_contains_personal_data(true);
  asset.mutable_personal_data()->set_identifiability(
      v1::IDENTIFIABILITY_DIRECT);
  asset.set_dpia_required(true);
  asset.set_project_size(v1::PROJECT_SIZE_MEDIUM);
  asset.set_project_duration_months(24);
  return asset;
}

v1::Risk ValidRisk(const std::string& asset_name) {
  v1::Risk risk;
  risk.set_asset(asset_name);
  risk.set_component("database");
  risk.set_vulnerability("passwords without a second factor");
  risk.mutable_threat()->set_actor("external attacker");
  risk.mutable_threat()->set_attack_method("phishing for credentials");
  risk.mutable_threat()->set_catalogue_reference("ISO/IEC 27005 A.2");
  risk.set_risk_factor("weak authentication");
  risk.set_risk_event("account takeover");
  risk.set_loss("disclosure of salary data");
  risk.add_affected_properties(v1::SECURITY_PROPERTY_CONFIDENTIALITY);
  risk.add_affected_properties(v1::SECURITY_PROPERTY_INTEGRITY);
  risk.set_impact_description("employees' salaries become public");
  risk.mutable_largest_loss()->set_financial("fines up to 100k EUR");
  risk.set_owner("alice");
  risk.add_existing_controls("A.5.17");
  risk.set_source(v1::RISK_SOURCE_INTERNAL);
  return risk;
}

std::string AssetName(const std::string& tenant, const std::string& asset_id) {
  return absl::StrCat(tenant, "/assets/", asset_id);
}

std::string RiskName(const std::string& tenant, const std::string& risk_id) {
  return absl::StrCat(tenant, "/risks/", risk_id);
}

std::string Repeat(const std::string& unit, int count) {
  std::string out;
  out.reserve(unit.size() * count);
  for (int i = 0; i < count; ++i) out += unit;
  return out;
}

google::rpc::Status RichStatus(const grpc::Status& status) {
  google::rpc::Status rich;
  if (!status.error_details().empty() &&
      !rich.ParseFromString(status.error_details())) {
    rich.Clear();
  }
  return rich;
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  const google::rpc::Status rich = RichStatus(status);
  for (const google::protobuf::Any& detail : rich.details()) {
    google::rpc::BadRequest bad_request;
    if (!detail.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

std::string ViolatedRule(const grpc::Status& status) {
  const google::rpc::Status rich = RichStatus(status);
  for (const google::protobuf::Any& detail : rich.details()) {
    google::rpc::ErrorInfo info;
    if (!detail.UnpackTo(&info) || info.reason() != "METHODOLOGY_RULE") {
      continue;
    }
    auto rule = info.metadata().find("rule");
    if (rule != info.metadata().end()) return rule->second;
  }
  return "";
}

std::string CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return absl::StrCat("CODE_", static_cast<int>(code));
  }
}

std::string DescribeStatus(const grpc::Status& status) {
  std::string out =
      absl::StrCat(CodeName(status.error_code()), ": ", status.error_message());
  std::vector<std::string> fields = ViolatedFields(status);
  if (!fields.empty()) {
    absl::StrAppend(&out, " [fields: ", absl::StrJoin(fields, ", "), "]");
  }
  std::string rule = ViolatedRule(status);
  if (!rule.empty()) absl::StrAppend(&out, " [rule: ", rule, "]");
  return out;
}

ServerTest::ServerTest()
    : data_dir_(temp_dir_.Sub("data")), clock_start_(DefaultClockStart()) {}

ServerTest::~ServerTest() = default;

void ServerTest::SetUp() {
  clock_ = std::make_shared<SteppingClock>(clock_start_, absl::Seconds(1));
  StartServer();
}

void ServerTest::TearDown() { StopServer(); }

void ServerTest::StartServer() {
  ASSERT_EQ(server_, nullptr) << "server already running";
  server::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.data_dir = data_dir_;
  options.sync_writes = sync_writes_;
  options.file_system = file_system_;
  options.backup_dir = backup_dir_;
  options.storage_recovery_interval = storage_recovery_interval_;
  std::shared_ptr<SteppingClock> clock = clock_;
  options.clock = [clock] { return clock->Now(); };
  absl::StatusOr<std::unique_ptr<server::RiskledgerServer>> started =
      server::RiskledgerServer::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  server_ = *std::move(started);
  ASSERT_GT(server_->port(), 0);
  channel_ = grpc::CreateChannel(server_->address(),
                                 grpc::InsecureChannelCredentials());
  stub_ = v1::AssessmentService::NewStub(channel_);
}

void ServerTest::StopServer() {
  stub_.reset();
  channel_.reset();
  if (server_ != nullptr) {
    ASSERT_TRUE(server_->Shutdown(absl::Seconds(5)).ok());
    server_.reset();
  }
}

void ServerTest::Restart() {
  StopServer();
  StartServer();
}

storage::ChainHead ServerTest::LogHead() {
  absl::StatusOr<storage::ChainHead> head = server_->event_store().Head();
  EXPECT_TRUE(head.ok()) << head.status();
  return head.ok() ? *head : storage::ChainHead{};
}

int64_t ServerTest::CountLogEvents() {
  constexpr size_t kChunk = 512;
  int64_t count = 0;
  int64_t next = 1;
  for (;;) {
    absl::StatusOr<std::vector<storage::EventEnvelope>> events =
        server_->event_store().ReadAll(next, kChunk);
    EXPECT_TRUE(events.ok()) << events.status();
    if (!events.ok() || events->empty()) return count;
    count += static_cast<int64_t>(events->size());
    next = events->back().position + 1;
    if (events->size() < kChunk) return count;
  }
}

v1::Asset ServerTest::CreateAsset(const std::string& tenant,
                                  const std::string& asset_id,
                                  const v1::Asset& asset) {
  v1::CreateAssetRequest request;
  request.set_parent(tenant);
  request.set_asset_id(asset_id);
  *request.mutable_asset() = asset;
  return Must(&v1::AssessmentService::Stub::CreateAsset, request);
}

v1::Risk ServerTest::CreateRisk(const std::string& tenant, const v1::Risk& risk,
                                const std::string& request_id) {
  v1::CreateRiskRequest request;
  request.set_parent(tenant);
  *request.mutable_risk() = risk;
  request.set_request_id(request_id);
  return Must(&v1::AssessmentService::Stub::CreateRisk, request);
}

v1::Risk ServerTest::AnalyseRisk(const std::string& risk_name, int impact,
                                 int likelihood) {
  v1::AnalyseRiskRequest request;
  request.set_name(risk_name);
  request.set_impact(impact);
  request.set_likelihood(likelihood);
  request.set_impact_rationale(absl::StrCat("impact ", impact));
  request.set_likelihood_rationale(absl::StrCat("likelihood ", likelihood));
  request.add_information_sources(v1::INFORMATION_SOURCE_EXPERT_ASSESSMENT);
  return Must(&v1::AssessmentService::Stub::AnalyseRisk, request);
}

v1::ImpactAnalysis ServerTest::RecordImpactAnalysis(
    const std::string& asset_name,
    const google::protobuf::RepeatedPtrField<v1::CategoryScore>& scores,
    const std::string& justification) {
  v1::RecordImpactAnalysisRequest request;
  request.set_parent(asset_name);
  *request.mutable_scores() = scores;
  request.set_justification(justification);
  return Must(&v1::AssessmentService::Stub::RecordImpactAnalysis, request);
}

v1::Asset ServerTest::GetAsset(const std::string& name) {
  v1::GetAssetRequest request;
  request.set_name(name);
  return Must(&v1::AssessmentService::Stub::GetAsset, request);
}

v1::Risk ServerTest::GetRisk(const std::string& name) {
  v1::GetRiskRequest request;
  request.set_name(name);
  return Must(&v1::AssessmentService::Stub::GetRisk, request);
}

std::vector<v1::Risk> ServerTest::ListAllRisks(const std::string& tenant,
                                               const std::string& filter,
                                               const std::string& order_by,
                                               int page_size,
                                               const v1::AsOf* as_of) {
  std::vector<v1::Risk> risks;
  v1::ListRisksRequest request;
  if (as_of != nullptr) *request.mutable_as_of() = *as_of;
  request.set_parent(tenant);
  request.set_filter(filter);
  request.set_order_by(order_by);
  request.set_page_size(page_size);
  for (int page = 0; page < 10000; ++page) {
    RpcResult<v1::ListRisksResponse> result =
        Call(&v1::AssessmentService::Stub::ListRisks, request);
    EXPECT_TRUE(result.ok()) << DescribeStatus(result.status);
    if (!result.ok()) break;
    for (const v1::Risk& risk : result.response.risks()) risks.push_back(risk);
    if (result.response.next_page_token().empty()) break;
    request.set_page_token(result.response.next_page_token());
  }
  return risks;
}

std::vector<v1::Asset> ServerTest::ListAllAssets(const std::string& tenant,
                                                 int page_size,
                                                 const v1::AsOf* as_of) {
  std::vector<v1::Asset> assets;
  v1::ListAssetsRequest request;
  if (as_of != nullptr) *request.mutable_as_of() = *as_of;
  request.set_parent(tenant);
  request.set_page_size(page_size);
  for (int page = 0; page < 10000; ++page) {
    RpcResult<v1::ListAssetsResponse> result =
        Call(&v1::AssessmentService::Stub::ListAssets, request);
    EXPECT_TRUE(result.ok()) << DescribeStatus(result.status);
    if (!result.ok()) break;
    for (const v1::Asset& asset : result.response.assets()) {
      assets.push_back(asset);
    }
    if (result.response.next_page_token().empty()) break;
    request.set_page_token(result.response.next_page_token());
  }
  return assets;
}

RpcResult<int> ServerTest::CheckHealth(const std::string& service) {
  // grpc.health.v1 is not installed as a generated library; its messages are
  // wire-compatible with the wrappers: HealthCheckRequest{string service = 1}
  // is StringValue{string value = 1} and HealthCheckResponse{ServingStatus
  // status = 1} is Int32Value{int32 value = 1}.
  google::protobuf::StringValue request;
  request.set_value(service);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  std::string answer;
  RpcResult<int> result;
  result.status =
      cli::BlockingUnaryCall(channel_, context, "/grpc.health.v1.Health/Check",
                             request.SerializeAsString(), answer);
  google::protobuf::Int32Value response;
  if (result.status.ok() && !response.ParseFromString(answer)) {
    result.status = grpc::Status(grpc::StatusCode::INTERNAL,
                                 "unparsable health answer");
  }
  result.response = response.value();
  return result;
}

}  // namespace riskledger::integration
