#include "storage/write_fault_listener.h"

namespace riskledger::storage {

void WriteFaultListener::OnBackgroundError(
    rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) {
  // Only I/O errors of the log file: of a foreground write, or of the write
  // of its buffer when a memtable switch starts a new log file. A
  // corruption, or a failed flush, compaction or manifest write keeps
  // RocksDB's own rating.
  const bool log_write =
      reason == rocksdb::BackgroundErrorReason::kWriteCallback ||
      reason == rocksdb::BackgroundErrorReason::kMemTable;
  if (!log_write || !error->IsIOError() ||
      error->severity() != rocksdb::Status::Severity::kFatalError) {
    return;
  }
  *error = rocksdb::Status(*error, rocksdb::Status::Severity::kHardError);
}

}  // namespace riskledger::storage
