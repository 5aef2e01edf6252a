// EventStore::Append: the blocking form of AppendAsync.
#include "storage/event_store.h"

#include "absl/synchronization/notification.h"

namespace riskledger::storage {

absl::StatusOr<AppendResult> EventStore::Append(AppendRequest request) {
  absl::StatusOr<AppendResult> result = absl::UnknownError("append pending");
  absl::Notification done;
  AppendCallbacks callbacks;
  callbacks.sequenced = [&](absl::Status status) {
    if (status.ok()) return;  // `durable` follows
    result = std::move(status);
    done.Notify();
  };
  callbacks.durable = [&](absl::StatusOr<AppendResult> durable) {
    result = std::move(durable);
    done.Notify();
  };
  AppendAsync(std::move(request), std::move(callbacks));
  done.WaitForNotification();
  return result;
}

}  // namespace riskledger::storage
