// AdminService: operations on the server itself (backups). The backup runs on
// the service's own thread, never on a gRPC thread or the command executor.
#ifndef RISKLEDGER_SERVICES_ADMIN_ADMIN_SERVICE_H_
#define RISKLEDGER_SERVICES_ADMIN_ADMIN_SERVICE_H_

#include <atomic>
#include <memory>
#include <string>

#include "riskledger/v1/admin_service.grpc.pb.h"
#include "storage/executor.h"
#include "storage/rocksdb_event_store.h"

namespace riskledger::admin {

class AdminService final : public v1::AdminService::CallbackService {
 public:
  // `store` must outlive the service. An empty `backup_dir` makes
  // CreateBackup FAILED_PRECONDITION. Destruction waits for a running
  // backup.
  AdminService(storage::RocksDbEventStore& store, std::string backup_dir);

  grpc::ServerUnaryReactor* CreateBackup(
      grpc::CallbackServerContext* context,
      const v1::CreateBackupRequest* request, v1::Backup* response) override;

 private:
  storage::RocksDbEventStore& store_;
  const std::string backup_dir_;
  // One backup at a time; another request meanwhile is ABORTED.
  std::atomic<bool> backing_up_{false};
  std::unique_ptr<storage::Executor> worker_;
};

}  // namespace riskledger::admin

#endif  // RISKLEDGER_SERVICES_ADMIN_ADMIN_SERVICE_H_
