// FaultyFileSystem: a RocksDB FileSystemWrapper (public RocksDB API) that
// makes write-ahead-log writes or syncs fail, or the disk look full, or holds
// syncs until released, on demand. Tests use it to drive the store and the
// server through storage faults and to hold a group commit mid-sync.
#ifndef RISKLEDGER_TESTS_TESTING_FAULTY_FILE_SYSTEM_H_
#define RISKLEDGER_TESTS_TESTING_FAULTY_FILE_SYSTEM_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "rocksdb/file_system.h"

namespace riskledger::testing {

// The storage faults tests inject, one at a time.
enum class Fault { kWriteError, kSyncError, kDiskFull };

// "WriteError", "SyncError", "DiskFull": for parameterised test names.
const char* FaultName(Fault fault);

// Thread-safe. Faults apply to write-ahead-log files (*.log) only, so that
// opening and closing a store is unaffected.
class FaultyFileSystem : public rocksdb::FileSystemWrapper {
 public:
  // Wraps the default file system.
  FaultyFileSystem();

  const char* Name() const override { return "FaultyFileSystem"; }

  // Appends fail with an I/O error.
  void FailWrites(bool fail) { fail_writes_ = fail; }
  // Syncs fail with an I/O error (a held sync too).
  void FailSyncs(bool fail);
  // Appends fail with "no space left on device".
  void FillDisk(bool full) { disk_full_ = full; }
  // Sets or clears `fault` (one of the three above).
  void Inject(Fault fault, bool on);

  // Syncs wait until ReleaseSyncs (or a fault is set meanwhile).
  void HoldSyncs();
  void ReleaseSyncs();
  // Waits until a sync is being held.
  void AwaitHeldSync();

  // Syncs of write-ahead-log files that succeeded so far.
  int64_t syncs() const { return syncs_.load(); }

  rocksdb::IOStatus NewWritableFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus ReopenWritableFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* debug) override;

  // Called by the wrapped files.
  rocksdb::IOStatus BeforeAppend() const;
  rocksdb::IOStatus Sync();

 private:
  std::atomic<bool> fail_writes_{false};
  std::atomic<bool> fail_syncs_{false};
  std::atomic<bool> disk_full_{false};
  std::atomic<int64_t> syncs_{0};
  absl::Mutex hold_mu_;
  bool holding_ ABSL_GUARDED_BY(hold_mu_) = false;
  int held_ ABSL_GUARDED_BY(hold_mu_) = 0;
};

}  // namespace riskledger::testing

#endif  // RISKLEDGER_TESTS_TESTING_FAULTY_FILE_SYSTEM_H_
