#include "storage/write_fault_listener.h"

namespace riskledger::storage {

void WriteFaultListener::OnBackgroundError(
    rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) {
  // Only I/O errors of the log file: of a foreground write, of the write of
  // its buffer when a memtable switch starts a new log file, or of a flush
  // (which syncs the closed log files first: when the disk fails, that is
  // the error a flush, and so a DB::Resume attempt during the fault, meets).
  // None loses an acknowledged write: every append is synced by its own
  // write, and a failed flush keeps its memtable. Rated fatal, the error
  // would outlast the fault: Resume only retries hard errors. A corruption,
  // or a failed compaction or manifest write keeps RocksDB's own rating.
  const bool log_write =
      reason == rocksdb::BackgroundErrorReason::kWriteCallback ||
      reason == rocksdb::BackgroundErrorReason::kMemTable ||
      reason == rocksdb::BackgroundErrorReason::kFlush;
  // A fenced file system (another writer took the files over) stays fatal.
  if (!log_write || !error->IsIOError() || error->IsIOFenced() ||
      error->severity() != rocksdb::Status::Severity::kFatalError) {
    return;
  }
  *error = rocksdb::Status(*error, rocksdb::Status::Severity::kHardError);
}

}  // namespace riskledger::storage
