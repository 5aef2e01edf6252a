// Makes a failed write-ahead-log write resumable. RocksDB rates a failed WAL
// append or sync (other than a full disk), and a failed write of the WAL
// buffer when a memtable switch starts a new log file, as fatal background
// errors, which only reopening the database clears. For this store that is too strict: a
// failed batch is not in any memtable, every earlier batch was synced, and
// DB::Resume() of a hard error flushes all memtables, after which the WAL file
// that may hold the failed batch is never replayed. So the listener rates
// such errors as hard, and the store resumes the database once the fault
// clears (see RocksDbEventStore::AttemptRecovery).
#ifndef RISKLEDGER_STORAGE_WRITE_FAULT_LISTENER_H_
#define RISKLEDGER_STORAGE_WRITE_FAULT_LISTENER_H_

#include "rocksdb/listener.h"

namespace riskledger::storage {

class WriteFaultListener : public rocksdb::EventListener {
 public:
  const char* Name() const override { return "WriteFaultListener"; }
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason,
                         rocksdb::Status* error) override;
};

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_WRITE_FAULT_LISTENER_H_
