#include "services/admin/admin_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_time.h"
#include "storage/backup.h"
#include "storage/event_codec.h"

namespace riskledger::admin {

AdminService::AdminService(storage::RocksDbEventStore& store,
                           std::string backup_dir)
    : store_(store),
      backup_dir_(std::move(backup_dir)),
      worker_(storage::NewThreadPoolExecutor(1)) {}

grpc::ServerUnaryReactor* AdminService::CreateBackup(
    grpc::CallbackServerContext* context,
    const v1::CreateBackupRequest* /*request*/, v1::Backup* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (backup_dir_.empty()) {
    reactor->Finish(ToGrpcStatus(absl::FailedPreconditionError(
        "backups are not configured: start riskledgerd with --backup_dir")));
    return reactor;
  }
  if (backing_up_.exchange(true)) {
    reactor->Finish(ToGrpcStatus(absl::AbortedError(
        "a backup is already running; retry once it has finished")));
    return reactor;
  }
  // The call stays open (and `response` valid) until Finish.
  worker_->Schedule([this, reactor, response] {
    absl::StatusOr<storage::BackupSummary> backup =
        storage::CreateVerifiedBackup(store_, backup_dir_);
    backing_up_ = false;
    if (!backup.ok()) return reactor->Finish(ToGrpcStatus(backup.status()));
    response->set_name(absl::StrCat("backups/", backup->id));
    response->set_backup_id(backup->id);
    *response->mutable_create_time() = ToProtoTimestamp(backup->create_time);
    response->set_log_position(backup->head.position);
    response->set_log_entry_hash(storage::ToHex(backup->head.hash));
    response->set_size_bytes(backup->size_bytes);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

}  // namespace riskledger::admin
