// AuditTrail: signing key files, start-up verification, checkpoint thread.
#include "services/server/audit_trail.h"

#include <openssl/rand.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/base/log.h"
#include "services/base/status_macros.h"
#include "services/server/secret_file.h"

namespace riskledger::server {
namespace {

absl::StatusOr<std::string> DefaultOrigin() {
  unsigned char id[8];
  if (RAND_bytes(id, sizeof(id)) != 1) {
    return absl::InternalError("OpenSSL could not generate random bytes");
  }
  return absl::StrCat("riskledger/",
                      absl::BytesToHexString(absl::string_view(
                          reinterpret_cast<const char*>(id), sizeof(id))));
}

absl::Status RetireKey(const std::filesystem::path& key_file) {
  std::error_code error;
  if (!std::filesystem::exists(key_file, error)) return absl::OkStatus();
  const std::filesystem::path retired = absl::StrCat(
      key_file.string(), ".retired.", absl::ToUnixSeconds(absl::Now()));
  std::filesystem::rename(key_file, retired, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot retire the checkpoint signing key ",
                     key_file.string(), ": ", error.message()));
  }
  LogInfo("retired the checkpoint signing key to %s; its public key stays "
          "known",
          retired.string());
  return absl::OkStatus();
}

}  // namespace

std::vector<audit::NoteVerifier> KnownVerifiers(
    storage::AuditLog& log, const audit::NoteSigner* signer) {
  std::vector<audit::NoteVerifier> verifiers;
  absl::StatusOr<std::vector<std::string>> stored = log.VerifierKeys();
  if (!stored.ok()) {
    LogError("cannot read the stored verifier keys: %s",
             stored.status().ToString());
  } else {
    for (const std::string& encoded : *stored) {
      absl::StatusOr<audit::NoteVerifier> verifier =
          audit::ParseVerifierKey(encoded);
      if (verifier.ok()) {
        verifiers.push_back(*std::move(verifier));
      } else {
        LogError("ignoring a stored verifier key that does not parse: %s",
                 verifier.status().ToString());
      }
    }
  }
  if (signer != nullptr) verifiers.push_back(signer->verifier());
  return verifiers;
}

absl::StatusOr<std::unique_ptr<AuditTrail>> AuditTrail::Start(
    storage::RocksDbEventStore& store, const std::string& data_dir,
    const AuditTrailOptions& options) {
  std::string proposed = options.origin;
  if (proposed.empty()) {
    ASSIGN_OR_RETURN(proposed, DefaultOrigin());
  }
  ASSIGN_OR_RETURN(std::string origin, store.EstablishOrigin(proposed));
  if (!options.origin.empty() && origin != options.origin) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the log in ", data_dir, " has origin '", origin,
        "'; it cannot change to '", options.origin, "'"));
  }
  const std::filesystem::path key_file =
      std::filesystem::path(data_dir) / kCheckpointKeyFile;
  if (options.rotate_key) RETURN_IF_ERROR(RetireKey(key_file));
  ASSIGN_OR_RETURN(std::string seed,
                   LoadOrCreateSecret(key_file.string(),
                                      audit::kEd25519KeySize));
  ASSIGN_OR_RETURN(audit::NoteSigner signer,
                   audit::NoteSigner::FromSeed(origin, seed));
  RETURN_IF_ERROR(store.AddVerifierKey(signer.verifier().Encode()));
  std::vector<audit::NoteVerifier> verifiers = KnownVerifiers(store, &signer);

  absl::Status damaged = store.integrity_fault();
  if (damaged.ok()) {
    absl::StatusOr<storage::LogVerification> verified =
        storage::VerifySinceLatestCheckpoint(store, verifiers);
    if (verified.ok()) {
      LogInfo("log verified from position %d to %d (since its latest "
              "checkpoint)",
              verified->first_position, verified->head.position);
    } else {
      damaged = verified.status();
      store.RefuseWrites(damaged);
    }
  }
  auto trail = std::unique_ptr<AuditTrail>(new AuditTrail(
      store, std::move(signer), std::move(verifiers),
      options.checkpoint_interval));
  if (damaged.ok()) trail->CheckpointNow();
  return trail;
}

AuditTrail::AuditTrail(storage::RocksDbEventStore& store,
                       audit::NoteSigner signer,
                       std::vector<audit::NoteVerifier> verifiers,
                       absl::Duration interval)
    : store_(store),
      verifiers_(std::move(verifiers)),
      checkpointer_(store, std::move(signer), verifiers_),
      interval_(interval) {
  if (interval_ > absl::ZeroDuration()) thread_ = std::thread([this] { Loop(); });
}

AuditTrail::~AuditTrail() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void AuditTrail::CheckpointNow() {
  if (store_.DurableTree().size == 0 || !store_.integrity_fault().ok()) return;
  absl::StatusOr<storage::StoredCheckpoint> checkpoint =
      checkpointer_.Checkpoint(absl::Now());
  if (!checkpoint.ok()) {
    LogError("checkpoint failed: %s", checkpoint.status().ToString());
  }
}

void AuditTrail::Loop() {
  auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_;
  };
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping), interval_)) return;
    }
    CheckpointNow();
  }
}

}  // namespace riskledger::server
