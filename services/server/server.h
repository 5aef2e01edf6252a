// The riskledger server: opens the event store, wires the services, health and
// reflection into one gRPC server, and shuts it all down in order.
#ifndef RISKLEDGER_SERVICES_SERVER_SERVER_H_
#define RISKLEDGER_SERVICES_SERVER_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/event_registry.h"
#include "storage/event_store.h"
#include "storage/log_verifier.h"
#include "storage/rebuild_projection.h"

namespace rocksdb {
class FileSystem;
}  // namespace rocksdb

namespace riskledger::server {

class AuditTrail;

// gRPC health service name of the write path: NOT_SERVING while storage
// refuses writes after a failed log write (reads go on), SERVING again once
// it recovered; NOT_SERVING for good once the log failed verification. "" and "riskledger.v1.AssessmentService" report the process.
inline constexpr char kWritesHealthService[] = "riskledger.writes";

// How to run the server.
struct ServerOptions {
  // host:port; port 0 picks a free port. Plain text is allowed on loopback
  // only.
  std::string listen_address = "127.0.0.1:50051";
  // Directory of the embedded RocksDB; created when missing.
  std::string data_dir = "riskledger-data";
  // Sync every append to disk before answering (see DESIGN.md "Durability").
  bool sync_writes = true;
  // Source of decision times; absl::Now when empty (tests inject their own).
  std::function<absl::Time()> clock;
  // Where AdminService.CreateBackup writes backups (RocksDB BackupEngine);
  // empty: backups are refused.
  std::string backup_dir;
  // File system under the store; null: the machine's (tests inject faults).
  std::shared_ptr<rocksdb::FileSystem> file_system;
  // After a failed log write, how often storage tries to resume.
  absl::Duration storage_recovery_interval = absl::Seconds(1);
  // The log's origin on first start (checkpoints' first line); empty: a
  // generated `riskledger/<id>`. See AuditTrailOptions.
  std::string log_origin;
  // Retire the checkpoint signing key and create a new one at start.
  bool rotate_checkpoint_key = false;
  // How often a signed checkpoint is made while the log grows (zero: at
  // start, at shutdown and on demand only).
  absl::Duration checkpoint_interval = absl::Seconds(60);
};

// A running server. Thread-safe. Destruction shuts it down.
class RiskledgerServer {
 public:
  // Opens storage and starts listening. FAILED_PRECONDITION for an unusable
  // data directory; UNAVAILABLE when the address cannot be bound (e.g. the
  // port is in use); INVALID_ARGUMENT for a non-loopback or malformed address.
  static absl::StatusOr<std::unique_ptr<RiskledgerServer>> Start(
      const ServerOptions& options);

  ~RiskledgerServer();
  RiskledgerServer(const RiskledgerServer&) = delete;
  RiskledgerServer& operator=(const RiskledgerServer&) = delete;

  // The bound port (useful with port 0).
  int port() const;
  // "host:port" with the bound port.
  std::string address() const;

  // The store the server writes to, for in-process tools and tests that check
  // what reached the log. Valid until Shutdown.
  storage::EventStore& event_store() const;

  // The signing key, verifiers and checkpointer of the log. Valid until
  // Shutdown.
  AuditTrail& audit_trail() const;

  // What the log writer did since start: appends acknowledged, and the
  // synced writes (group commits) that made them durable.
  struct WriteCounts {
    int64_t acknowledged_appends = 0;
    int64_t synced_writes = 0;
    int64_t written_bytes = 0;
    int64_t log_head = 0;
  };
  WriteCounts write_counts() const;

  // Marks health NOT_SERVING, stops accepting calls, lets in-flight calls
  // finish for up to `grace` (then cancels them), and closes storage; returns
  // the storage's close status. Idempotent: later calls return the first
  // result.
  absl::Status Shutdown(absl::Duration grace);

 private:
  struct Parts;
  explicit RiskledgerServer(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

// The process's event registry: every service registers its aggregates,
// events and read-model projectors here, once. The server, the rebuild and
// history reads all use it.
std::unique_ptr<EventRegistry> BuildEventRegistry();

// Drops the projections of the store in `data_dir` and derives them again from
// the log (the documented rebuild command: riskledgerd --rebuild_projections),
// holding up to `memory_bytes` of them in memory.
absl::Status RebuildProjections(
    const std::string& data_dir,
    size_t memory_bytes = storage::kDefaultRebuildMemoryBytes);

// Checks the whole log of the store in `data_dir` (riskledgerd --verify_log):
// hash chain, Merkle tree and signed checkpoints (storage::VerifyLog, with
// every verifier key the store recorded). DATA_LOSS naming the first bad
// position otherwise.
absl::StatusOr<storage::LogVerification> VerifyLog(const std::string& data_dir);

}  // namespace riskledger::server

#endif  // RISKLEDGER_SERVICES_SERVER_SERVER_H_
