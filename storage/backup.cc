#include "storage/backup.h"

#include <filesystem>
#include <memory>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/env.h"
#include "rocksdb/utilities/backup_engine.h"
#include "services/base/status_macros.h"
#include "storage/chain_verifier.h"

namespace riskledger::storage {
namespace {

absl::Status FromRocksBackup(const rocksdb::Status& status,
                             absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsIOError()) return absl::UnavailableError(message);
  return absl::FailedPreconditionError(message);
}

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> OpenReadOnly(
    const std::string& backup_dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(backup_dir, error)) {
    return absl::NotFoundError(
        absl::StrCat("no backup directory '", backup_dir, "'"));
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  RETURN_IF_ERROR(FromRocksBackup(
      rocksdb::BackupEngineReadOnly::Open(
          rocksdb::BackupEngineOptions(backup_dir), rocksdb::Env::Default(),
          &raw),
      absl::StrCat("opening backup directory '", backup_dir, "'")));
  return std::unique_ptr<rocksdb::BackupEngineReadOnly>(raw);
}

absl::Status RequireEmptyTarget(const std::string& target_dir) {
  std::error_code error;
  const bool exists = std::filesystem::exists(target_dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot inspect restore target '", target_dir, "': ", error.message()));
  }
  if (!exists) return absl::OkStatus();
  if (!std::filesystem::is_directory(target_dir, error) ||
      !std::filesystem::is_empty(target_dir, error) || error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "restore target '", target_dir,
        "' exists and is not an empty directory; restore into a new one"));
  }
  return absl::OkStatus();
}

// Restores and verifies; the target is new or empty.
absl::StatusOr<ChainHead> RestoreIntoEmptyTarget(const std::string& backup_dir,
                                                 uint32_t backup_id,
                                                 const std::string& target_dir) {
  ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngineReadOnly> engine,
                   OpenReadOnly(backup_dir));
  if (backup_id == 0) {
    std::vector<rocksdb::BackupInfo> backups;
    engine->GetBackupInfo(&backups);
    if (backups.empty()) {
      return absl::NotFoundError(
          absl::StrCat("backup directory '", backup_dir, "' holds no backup"));
    }
    backup_id = backups.back().backup_id;
  }
  // Checksums of every file against those recorded at backup time first.
  RETURN_IF_ERROR(FromRocksBackup(
      engine->VerifyBackup(backup_id, /*verify_with_checksum=*/true),
      absl::StrCat("checking backup ", backup_id)));
  RETURN_IF_ERROR(FromRocksBackup(
      engine->RestoreDBFromBackup(backup_id, target_dir, target_dir),
      absl::StrCat("restoring backup ", backup_id, " into '", target_dir,
                   "'")));
  RocksDbEventStoreOptions options;
  options.path = target_dir;
  options.create_if_missing = false;
  ASSIGN_OR_RETURN(std::unique_ptr<RocksDbEventStore> restored,
                   RocksDbEventStore::Open(options));
  absl::StatusOr<ChainHead> head = VerifyChain(*restored);
  RETURN_IF_ERROR(restored->Close());
  return head;
}

}  // namespace

absl::StatusOr<ChainHead> RestoreBackup(const std::string& backup_dir,
                                        uint32_t backup_id,
                                        const std::string& target_dir) {
  RETURN_IF_ERROR(RequireEmptyTarget(target_dir));
  absl::StatusOr<ChainHead> head =
      RestoreIntoEmptyTarget(backup_dir, backup_id, target_dir);
  if (!head.ok()) {
    // Whatever was restored must not be started on by mistake: the target
    // was empty (or absent) before.
    std::error_code error;
    std::filesystem::remove_all(target_dir, error);
  }
  return head;
}


absl::StatusOr<BackupSummary> CreateVerifiedBackup(
    RocksDbEventStore& store, const std::string& backup_dir) {
  // One backup engine per directory at a time (RocksDB's rule).
  static absl::Mutex* const backup_mu = new absl::Mutex;
  absl::MutexLock lock(backup_mu);
  ASSIGN_OR_RETURN(uint32_t id, store.CreateBackup(backup_dir));
  const std::string scratch =
      (std::filesystem::path(backup_dir) / absl::StrCat(".verify-", id))
          .string();
  std::error_code error;
  std::filesystem::remove_all(scratch, error);
  absl::StatusOr<ChainHead> head = RestoreBackup(backup_dir, id, scratch);
  std::filesystem::remove_all(scratch, error);
  if (!head.ok() && head.status().code() != absl::StatusCode::kDataLoss) {
    // Not a verdict on the backup (a full disk, an I/O error): it is kept,
    // and --restore_backup checks it again.
    return absl::Status(
        head.status().code(),
        absl::StrCat("backup ", id, " was written but could not be verified "
                     "(it is kept; a restore verifies it again): ",
                     head.status().message()));
  }
  if (!head.ok()) {
    // Damaged: not kept, or it would be trusted later.
    rocksdb::BackupEngine* raw = nullptr;
    if (rocksdb::BackupEngine::Open(rocksdb::BackupEngineOptions(backup_dir),
                                    rocksdb::Env::Default(), &raw)
            .ok()) {
      std::unique_ptr<rocksdb::BackupEngine> engine(raw);
      engine->DeleteBackup(id).PermitUncheckedError();
    }
    return absl::DataLossError(absl::StrCat(
        "backup ", id, " did not verify after restore and was deleted: ",
        head.status().message()));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngineReadOnly> engine,
                   OpenReadOnly(backup_dir));
  rocksdb::BackupInfo info;
  RETURN_IF_ERROR(FromRocksBackup(engine->GetBackupInfo(id, &info),
                                  absl::StrCat("reading backup ", id)));
  BackupSummary summary;
  summary.id = id;
  summary.create_time = absl::FromUnixSeconds(info.timestamp);
  summary.size_bytes = static_cast<int64_t>(info.size);
  summary.head = *head;
  return summary;
}

}  // namespace riskledger::storage
