// Online backup of a RocksDbEventStore and verified restore: a backup is
// taken while the server writes, then restored into a scratch directory and
// its hash chain checked, so a backup that is reported was proven to restore.
#ifndef RISKLEDGER_STORAGE_BACKUP_H_
#define RISKLEDGER_STORAGE_BACKUP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/event_store.h"
#include "storage/rocksdb_event_store.h"

namespace riskledger::storage {

// A verified backup.
struct BackupSummary {
  uint32_t id = 0;
  absl::Time create_time;
  // Bytes of the backup's files (shared files counted in full).
  int64_t size_bytes = 0;
  // The last log entry in the backup: a restore equals the source log up to
  // and including it.
  ChainHead head;
};

// Backs up `store` into `backup_dir`, restores the backup into a scratch
// directory under it, verifies the restored chain and removes the scratch
// copy. DATA_LOSS (and the backup deleted) when the restored copy does not
// verify; UNAVAILABLE / FAILED_PRECONDITION when the directory is unusable.
absl::StatusOr<BackupSummary> CreateVerifiedBackup(
    RocksDbEventStore& store, const std::string& backup_dir);

// Restores backup `backup_id` (0: the latest) of `backup_dir` into
// `target_dir`, which must not exist or be empty, then opens it and verifies
// its chain; returns the restored head. NOT_FOUND for an unknown backup;
// FAILED_PRECONDITION for a non-empty target; DATA_LOSS when the restored log
// does not verify.
absl::StatusOr<ChainHead> RestoreBackup(const std::string& backup_dir,
                                        uint32_t backup_id,
                                        const std::string& target_dir);

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_BACKUP_H_
