// FromRocks: RocksDB statuses as absl::Status.
#include "storage/rocks_status.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace riskledger::storage {

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsIOError() || status.IsBusy() || status.IsTimedOut()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

}  // namespace riskledger::storage
