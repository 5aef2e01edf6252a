// RiskledgerServer: storage, services, health, reflection, graceful shutdown.
#include "services/server/server.h"

#include <algorithm>
#include <filesystem>
#include <thread>
#include <optional>
#include <system_error>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "services/admin/admin_service.h"
#include "services/assessment/assessment_handlers.h"
#include "services/audit/audit_service.h"
#include "services/common/command_runner.h"
#include "services/assessment/assessment_service.h"
#include "services/base/log.h"
#include "services/base/status_macros.h"
#include "services/common/page_token.h"
#include "services/domain/methodology.h"
#include "services/server/library_log.h"
#include "services/server/request_decoding_interceptor.h"
#include "services/server/audit_trail.h"
#include "services/server/secret_file.h"
#include "storage/audit_log.h"
#include "storage/backup.h"
#include "storage/event_codec.h"
#include "storage/executor.h"
#include "storage/rocksdb_event_store.h"

namespace riskledger::server {
namespace {

// Largest request message accepted, in bytes.
constexpr int kMaxRequestBytes = 4 * 1024 * 1024;
// Serving bounds (see Start).
constexpr int kMaxStreamsPerConnection = 100;
constexpr int kMaxGrpcThreads = 256;
constexpr size_t kGrpcMemoryBytes = size_t{1} << 30;
constexpr int kMaxConnectionAgeMs = 30 * 60 * 1000;
constexpr int kConnectionAgeGraceMs = 60 * 1000;
// Threads that complete appends and continue waiting commands: about one
// per core; more would only switch among themselves.
const int kExecutorThreads =
    std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
// The page-token key, in the data directory (see secret_file.h).
constexpr char kPageTokenKeyFile[] = "page_token.key";

struct HostPort {
  std::string host;
  int port = 0;
};

absl::StatusOr<HostPort> ParseListenAddress(absl::string_view address) {
  size_t colon = address.rfind(':');
  int port = -1;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address '", address, "' is not host:port"));
  }
  std::string host(address.substr(0, colon));
  // Until TLS and authentication exist, only the local machine may connect.
  if (host != "127.0.0.1" && host != "localhost" && host != "[::1]") {
    return absl::InvalidArgumentError(absl::StrCat(
        "listen address '", address,
        "' is not loopback; plain-text listening is allowed on 127.0.0.1, "
        "localhost or [::1] only"));
  }
  return HostPort{host, port};
}

absl::StatusOr<std::unique_ptr<storage::RocksDbEventStore>> OpenStore(
    const ServerOptions& server_options, storage::Executor& completions,
    std::function<void(const absl::Status&)> on_writability_change) {
  const std::string& data_dir = server_options.data_dir;
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create data directory '", data_dir, "': ", error.message()));
  }
  storage::RocksDbEventStoreOptions options;
  options.path = data_dir;
  options.sync_writes = server_options.sync_writes;
  options.completions = &completions;
  options.file_system = server_options.file_system;
  options.recovery_interval = server_options.storage_recovery_interval;
  options.on_writability_change = std::move(on_writability_change);
  return storage::RocksDbEventStore::Open(options);
}

// The health of the write path (kWritesHealthService), told by the store
// from its writer thread, possibly before gRPC serves or after it stopped.
class WriteHealth {
 public:
  void Set(const absl::Status& fault) {
    absl::MutexLock lock(&mu_);
    writable_ = fault.ok();
    if (health_ != nullptr) {
      health_->SetServingStatus(kWritesHealthService, writable_);
    }
  }
  // Starts (non-null) or stops (null) publishing to `health`.
  void Publish(grpc::HealthCheckServiceInterface* health) {
    absl::MutexLock lock(&mu_);
    health_ = health;
    if (health_ != nullptr) {
      health_->SetServingStatus(kWritesHealthService, writable_);
    }
  }

 private:
  absl::Mutex mu_;
  bool writable_ ABSL_GUARDED_BY(mu_) = true;
  grpc::HealthCheckServiceInterface* health_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace

std::unique_ptr<EventRegistry> BuildEventRegistry() {
  auto registry = std::make_unique<EventRegistry>();
  assessment::RegisterAssessment(*registry);
  return registry;
}

// FAILED_PRECONDITION when the first or last entry of the log is of a type
// the registry cannot read: a store written by an earlier, incompatible
// format would otherwise be served with read models no command can extend.
absl::Status CheckLogIsReadable(storage::EventStore& store,
                                storage::AuditLog& log,
                                const EventRegistry& registry,
                                const std::string& data_dir) {
  ASSIGN_OR_RETURN(storage::ChainHead head, store.Head());
  for (int64_t position : {int64_t{1}, head.position}) {
    if (position == 0) continue;
    // A missing entry is damage for the audit trail to report (writes are
    // then refused, evidence still served), not a sign of another format.
    absl::StatusOr<std::string> stored = log.EntryAt(position);
    if (!stored.ok()) continue;
    absl::StatusOr<storage::EventEnvelope> entry =
        storage::DecodeEvent(*stored);
    absl::Status decoded =
        entry.ok() ? registry.Decode(entry->type, entry->payload).status()
                   : entry.status();
    if (!decoded.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the log in ", data_dir, " holds an entry this build cannot read (",
          decoded.message(), ", position ", position,
          "); it was written in another format: use a new data directory"));
    }
  }
  return absl::OkStatus();
}

// The register records of an evidence bundle: the tenant's risks, then its
// assets, as ListRisks and ListAssets return them as of `position`.
// Emits, page after page of `list(request)`, every item `items(page)` holds
// that `wanted` accepts, each as the record `place` puts it in.
template <typename Request, typename List, typename Items, typename Place>
absl::Status EmitEveryPage(Request request, const List& list,
                           const Items& items, const Place& place,
                           const std::function<bool(const std::string&)>& wanted,
                           const auditing::EvidenceSink& emit) {
  do {
    ASSIGN_OR_RETURN(auto page, list(request));
    for (auto& item : *items(page)) {
      if (!wanted(item.name())) continue;
      v1::EvidenceRecord record;
      *place(record) = std::move(item);
      RETURN_IF_ERROR(emit(std::move(record)));
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return absl::OkStatus();
}

auditing::RegisterExport ExportRegister(
    const assessment::AssessmentHandlers& handlers) {
  return [&handlers](const std::string& tenant, int64_t position,
                     const std::vector<std::string>& resources,
                     const auditing::EvidenceSink& emit) -> absl::Status {
    const std::function<bool(const std::string&)> wanted =
        [&](const std::string& name) {
          return resources.empty() ||
                 std::find(resources.begin(), resources.end(), name) !=
                     resources.end();
        };
    v1::ListRisksRequest risks;
    risks.set_parent(tenant);
    risks.set_order_by("risk_id");
    risks.set_page_size(kMaxPageSize);
    risks.mutable_as_of()->set_log_position(position);
    RETURN_IF_ERROR(EmitEveryPage(
        std::move(risks),
        [&](const v1::ListRisksRequest& r) { return handlers.ListRisks(r); },
        [](v1::ListRisksResponse& page) { return page.mutable_risks(); },
        [](v1::EvidenceRecord& record) { return record.mutable_risk(); },
        wanted, emit));
    v1::ListAssetsRequest assets;
    assets.set_parent(tenant);
    assets.set_page_size(kMaxPageSize);
    assets.mutable_as_of()->set_log_position(position);
    return EmitEveryPage(
        std::move(assets),
        [&](const v1::ListAssetsRequest& r) { return handlers.ListAssets(r); },
        [](v1::ListAssetsResponse& page) { return page.mutable_assets(); },
        [](v1::EvidenceRecord& record) { return record.mutable_asset(); },
        wanted, emit);
  };
}

struct RiskledgerServer::Parts {
  std::string host;
  int port = 0;
  // Completes appends and continues commands; outlives the store and the
  // runner, which schedule on it.
  std::unique_ptr<storage::Executor> executor;
  // Outlives the store, which reports to it.
  WriteHealth write_health;
  std::unique_ptr<storage::RocksDbEventStore> store;
  // Checkpoints the store: goes before it.
  std::unique_ptr<AuditTrail> audit_trail;
  std::unique_ptr<EventRegistry> registry;
  std::unique_ptr<CommandRunner> runner;
  std::unique_ptr<assessment::AssessmentHandlers> handlers;
  std::unique_ptr<assessment::AssessmentService> assessment;
  std::unique_ptr<admin::AdminService> admin;
  std::unique_ptr<auditing::AuditHandlers> audit_handlers;
  std::unique_ptr<auditing::AuditService> audit;
  grpc::ResourceQuota resource_quota{"riskledgerd"};
  std::unique_ptr<grpc::Server> grpc_server;
  absl::Mutex shutdown_mu;
  std::optional<absl::Status> shutdown_status ABSL_GUARDED_BY(shutdown_mu);
};

absl::StatusOr<std::unique_ptr<RiskledgerServer>> RiskledgerServer::Start(
    const ServerOptions& options) {
  ASSIGN_OR_RETURN(HostPort host_port,
                   ParseListenAddress(options.listen_address));
  auto parts = std::make_unique<Parts>();
  parts->host = host_port.host;
  parts->executor = storage::NewThreadPoolExecutor(kExecutorThreads);
  WriteHealth* write_health = &parts->write_health;
  ASSIGN_OR_RETURN(
      parts->store,
      OpenStore(options, *parts->executor,
                [write_health](const absl::Status& fault) {
                  write_health->Set(fault);
                }));
  ASSIGN_OR_RETURN(std::string page_token_key,
                   LoadOrCreateSecret((std::filesystem::path(options.data_dir) /
                                       kPageTokenKeyFile)
                                          .string(),
                                      kPageTokenKeyBytes));
  AuditTrailOptions audit_options;
  audit_options.origin = options.log_origin;
  audit_options.rotate_key = options.rotate_checkpoint_key;
  audit_options.checkpoint_interval = options.checkpoint_interval;
  ASSIGN_OR_RETURN(parts->audit_trail,
                   AuditTrail::Start(*parts->store, options.data_dir,
                                     audit_options));
  parts->registry = BuildEventRegistry();
  RETURN_IF_ERROR(CheckLogIsReadable(*parts->store, *parts->store,
                                     *parts->registry, options.data_dir));
  parts->runner = std::make_unique<CommandRunner>(
      *parts->store, *parts->registry, *parts->executor);
  std::function<absl::Time()> clock =
      options.clock ? options.clock : [] { return absl::Now(); };
  parts->handlers = std::make_unique<assessment::AssessmentHandlers>(
      *parts->runner, domain::DefaultMethodology(),
      PageTokenCodec(page_token_key));
  parts->assessment =
      std::make_unique<assessment::AssessmentService>(*parts->handlers, clock);
  parts->audit_handlers = std::make_unique<auditing::AuditHandlers>(
      auditing::AuditSources{parts->store.get(), parts->store.get(),
                             parts->registry.get(),
                             &parts->audit_trail->checkpointer(),
                             &parts->audit_trail->verifiers(),
                             ExportRegister(*parts->handlers)},
      PageTokenCodec(std::move(page_token_key)), clock);
  parts->audit =
      std::make_unique<auditing::AuditService>(*parts->audit_handlers);

  parts->admin = std::make_unique<admin::AdminService>(*parts->store,
                                                       options.backup_dir);

  InstallLibraryLogHandlers();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Without this gRPC binds with SO_REUSEPORT and a busy port goes unnoticed.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Requests beyond this size are refused with RESOURCE_EXHAUSTED before any
  // handler runs (no valid request comes near it: fields are size-limited).
  builder.SetMaxReceiveMessageSize(kMaxRequestBytes);
  // Compressed requests are refused: gRPC inflates a message before it
  // checks its size, so a 400 KB gzip request could make the server hold
  // 400 MB. Requests are small; compression buys nothing here.
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_DEFLATE, false);
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
  // Bounds on what many slow or hostile clients can make the server hold:
  // streams per connection, gRPC's threads (a sync-API call keeps its thread
  // until a client reads the response; at the cap, further calls get
  // RESOURCE_EXHAUSTED instead of the server growing without bound), the
  // memory gRPC's buffers may use before it pushes back, and the age of a
  // connection (so a client that never reads is cut off eventually; honest
  // clients reconnect transparently on GOAWAY).
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             kMaxStreamsPerConnection);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             kMaxConnectionAgeMs);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             kConnectionAgeGraceMs);
  parts->resource_quota.Resize(kGrpcMemoryBytes);
  parts->resource_quota.SetMaxThreads(kMaxGrpcThreads);
  builder.SetResourceQuota(parts->resource_quota);
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &parts->port);
  builder.RegisterService(parts->assessment.get());
  builder.RegisterService(parts->admin.get());
  builder.RegisterService(parts->audit.get());
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<RequestDecodingInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  parts->grpc_server = builder.BuildAndStart();
  if (parts->grpc_server == nullptr || parts->port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address,
                     " (is the port already in use?)"));
  }
  grpc::HealthCheckServiceInterface* health =
      parts->grpc_server->GetHealthCheckService();
  health->SetServingStatus(true);
  health->SetServingStatus(v1::AssessmentService::service_full_name(), true);
  health->SetServingStatus(v1::AuditService::service_full_name(), true);
  if (!parts->store->integrity_fault().ok()) {
    parts->write_health.Set(parts->store->integrity_fault());
  }
  parts->write_health.Publish(health);
  return std::unique_ptr<RiskledgerServer>(
      new RiskledgerServer(std::move(parts)));
}

RiskledgerServer::RiskledgerServer(std::unique_ptr<Parts> parts)
    : parts_(std::move(parts)) {}

RiskledgerServer::~RiskledgerServer() {
  absl::Status stopped = Shutdown(absl::Seconds(5));
  if (!stopped.ok()) LogError("shutting down: %s", stopped.ToString());
  parts_->grpc_server.reset();
  parts_->assessment.reset();
  parts_->admin.reset();  // waits for a running backup
  parts_->audit.reset();  // waits for a running verification or checkpoint
  parts_->audit_handlers.reset();
  parts_->handlers.reset();
  parts_->runner.reset();
  parts_->audit_trail.reset();
  parts_->store.reset();
  parts_->executor.reset();
}

int RiskledgerServer::port() const { return parts_->port; }

std::string RiskledgerServer::address() const {
  return absl::StrCat(parts_->host, ":", parts_->port);
}

storage::EventStore& RiskledgerServer::event_store() const {
  return *parts_->store;
}

AuditTrail& RiskledgerServer::audit_trail() const {
  return *parts_->audit_trail;
}

RiskledgerServer::WriteCounts RiskledgerServer::write_counts() const {
  absl::StatusOr<storage::ChainHead> head = parts_->store->Head();
  return {parts_->store->acknowledged_appends(),
          parts_->store->synced_writes(), parts_->store->written_bytes(),
          head.ok() ? head->position : 0};
}

absl::Status RiskledgerServer::Shutdown(absl::Duration grace) {
  absl::MutexLock lock(&parts_->shutdown_mu);
  if (parts_->shutdown_status.has_value()) return *parts_->shutdown_status;
  parts_->write_health.Publish(nullptr);
  parts_->grpc_server->GetHealthCheckService()->SetServingStatus(false);
  // Waits for in-flight calls until the deadline, then cancels the rest.
  parts_->grpc_server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  parts_->grpc_server->Wait();
  // No handler runs any more: storage can close before the gRPC objects go
  // (destroying them may wait for idle client connections; see main.cc).
  // A last checkpoint first, so that the next start verifies little.
  parts_->audit_trail->CheckpointNow();
  parts_->audit_trail.reset();
  parts_->shutdown_status = parts_->store->Close();  // drains the sequencer
  return *parts_->shutdown_status;
}

// NOT_FOUND unless `data_dir` holds a RocksDB store: opening one that does
// not exist, even without create_if_missing, would create the directory.
absl::Status RequireExistingStore(const std::string& data_dir) {
  std::error_code error;
  const bool exists = std::filesystem::exists(
      std::filesystem::path(data_dir) / "CURRENT", error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot look into data directory '", data_dir, "': ", error.message()));
  }
  if (!exists) {
    return absl::NotFoundError(
        absl::StrCat("no riskledger store in '", data_dir, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<storage::LogVerification> VerifyLog(
    const std::string& data_dir) {
  RETURN_IF_ERROR(RequireExistingStore(data_dir));
  storage::RocksDbEventStoreOptions options;
  options.path = data_dir;
  options.create_if_missing = false;
  options.allow_incomplete_projections = true;  // only the log is read
  ASSIGN_OR_RETURN(std::unique_ptr<storage::RocksDbEventStore> store,
                   storage::RocksDbEventStore::Open(options));
  ASSIGN_OR_RETURN(
      storage::LogVerification verified,
      storage::VerifyLog(*store, KnownVerifiers(*store, /*signer=*/nullptr)));
  RETURN_IF_ERROR(store->Close());
  return verified;
}

absl::Status RebuildProjections(const std::string& data_dir,
                                size_t memory_bytes) {
  RETURN_IF_ERROR(RequireExistingStore(data_dir));
  storage::RocksDbEventStoreOptions options;
  options.path = data_dir;
  options.create_if_missing = false;  // a mistyped path must not "succeed"
  options.allow_incomplete_projections = true;
  options.rebuild_memory_bytes = memory_bytes;
  ASSIGN_OR_RETURN(std::unique_ptr<storage::RocksDbEventStore> store,
                   storage::RocksDbEventStore::Open(options));
  std::unique_ptr<EventRegistry> registry = BuildEventRegistry();
  RETURN_IF_ERROR(store->RebuildProjections(*registry));
  return store->Close();
}

}  // namespace riskledger::server
