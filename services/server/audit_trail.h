// The verifiable audit trail of a data directory at start-up (M14): the
// checkpoint signing key (created on first start, owner-only, rotated on
// request with the old public key kept), the log's origin, the start-up
// verification (on damage the store refuses writes), and checkpoints made
// periodically by a thread of their own.
#ifndef RISKLEDGER_SERVICES_SERVER_AUDIT_TRAIL_H_
#define RISKLEDGER_SERVICES_SERVER_AUDIT_TRAIL_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/audit/signed_note.h"
#include "storage/checkpointer.h"
#include "storage/log_verifier.h"
#include "storage/rocksdb_event_store.h"

namespace riskledger::server {

// File in the data directory holding the Ed25519 seed that signs
// checkpoints (32 bytes, mode 0600). A rotated key is renamed to
// `<file>.retired.<unix seconds>`.
inline constexpr char kCheckpointKeyFile[] = "checkpoint_signing.key";

struct AuditTrailOptions {
  // The log's origin on first start; empty: `riskledger/<random id>`. Later
  // starts keep the stored origin (another value is refused).
  std::string origin;
  // Retire the current signing key and create a new one.
  bool rotate_key = false;
  // How often a checkpoint is made while the log grows; zero: only on
  // demand, at start and at shutdown.
  absl::Duration checkpoint_interval = absl::Seconds(60);
};

// The keys that may have signed the store's checkpoints: every stored
// verifier key that parses, and `signer`'s.
std::vector<audit::NoteVerifier> KnownVerifiers(storage::AuditLog& log,
                                                const audit::NoteSigner* signer);

// The audit trail of a running server. Thread-safe.
class AuditTrail {
 public:
  // Loads (or creates, or rotates) the signing key, records its public key,
  // verifies the log since its latest checkpoint (on damage: the store
  // refuses writes, the reason is logged, start-up goes on so that reads and
  // evidence are served), makes a checkpoint and starts the periodic ones.
  static absl::StatusOr<std::unique_ptr<AuditTrail>> Start(
      storage::RocksDbEventStore& store, const std::string& data_dir,
      const AuditTrailOptions& options);

  // Stops the periodic checkpoints.
  ~AuditTrail();

  storage::Checkpointer& checkpointer() { return checkpointer_; }
  const std::vector<audit::NoteVerifier>& verifiers() const {
    return verifiers_;
  }
  // A checkpoint of the durable log now (at shutdown, before storage
  // closes); failures are logged.
  void CheckpointNow();

 private:
  AuditTrail(storage::RocksDbEventStore& store, audit::NoteSigner signer,
             std::vector<audit::NoteVerifier> verifiers,
             absl::Duration interval);
  void Loop();

  storage::RocksDbEventStore& store_;
  const std::vector<audit::NoteVerifier> verifiers_;
  storage::Checkpointer checkpointer_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace riskledger::server

#endif  // RISKLEDGER_SERVICES_SERVER_AUDIT_TRAIL_H_
