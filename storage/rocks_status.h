// Conversions between RocksDB's types and the project's, for storage/'s
// RocksDB code only (RocksDB types never leave storage/).
#ifndef RISKLEDGER_STORAGE_ROCKS_STATUS_H_
#define RISKLEDGER_STORAGE_ROCKS_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/slice.h"
#include "rocksdb/status.h"

namespace riskledger::storage {

// OK, or `what` and RocksDB's message with a code chosen by how a caller
// should react: DATA_LOSS for corruption, UNAVAILABLE for I/O errors and
// timeouts (retry later), INTERNAL otherwise.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what);

inline rocksdb::Slice ToSlice(absl::string_view view) {
  return rocksdb::Slice(view.data(), view.size());
}

inline absl::string_view ToView(const rocksdb::Slice& slice) {
  return absl::string_view(slice.data(), slice.size());
}

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_ROCKS_STATUS_H_
