// FaultyFileSystem: faults injected into write-ahead-log files.
#include "tests/testing/faulty_file_system.h"

#include <utility>

#include "absl/strings/match.h"

namespace riskledger::testing {
namespace {

// A write-ahead-log file whose appends and syncs ask the file system first.
class FaultyLogFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultyLogFile(std::unique_ptr<rocksdb::FSWritableFile> file,
                FaultyFileSystem& file_system)
      : FSWritableFileOwnerWrapper(std::move(file)),
        file_system_(file_system) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data,
                           const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* debug) override {
    rocksdb::IOStatus fault = file_system_.BeforeAppend();
    if (!fault.ok()) return fault;
    return FSWritableFileOwnerWrapper::Append(data, options, debug);
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data,
                           const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info,
                           rocksdb::IODebugContext* debug) override {
    rocksdb::IOStatus fault = file_system_.BeforeAppend();
    if (!fault.ok()) return fault;
    return FSWritableFileOwnerWrapper::Append(data, options, info, debug);
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                         rocksdb::IODebugContext* debug) override {
    rocksdb::IOStatus fault = file_system_.Sync();
    if (!fault.ok()) return fault;
    return FSWritableFileOwnerWrapper::Sync(options, debug);
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* debug) override {
    rocksdb::IOStatus fault = file_system_.Sync();
    if (!fault.ok()) return fault;
    return FSWritableFileOwnerWrapper::Fsync(options, debug);
  }

 private:
  FaultyFileSystem& file_system_;
};

bool IsLog(const std::string& name) { return absl::EndsWith(name, ".log"); }

}  // namespace

FaultyFileSystem::FaultyFileSystem()
    : FileSystemWrapper(rocksdb::FileSystem::Default()) {}

rocksdb::IOStatus FaultyFileSystem::NewWritableFile(
    const std::string& name, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* result,
    rocksdb::IODebugContext* debug) {
  rocksdb::IOStatus opened =
      FileSystemWrapper::NewWritableFile(name, options, result, debug);
  if (opened.ok() && IsLog(name)) {
    *result = std::make_unique<FaultyLogFile>(std::move(*result), *this);
  }
  return opened;
}

rocksdb::IOStatus FaultyFileSystem::ReopenWritableFile(
    const std::string& name, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* result,
    rocksdb::IODebugContext* debug) {
  rocksdb::IOStatus opened =
      FileSystemWrapper::ReopenWritableFile(name, options, result, debug);
  if (opened.ok() && IsLog(name)) {
    *result = std::make_unique<FaultyLogFile>(std::move(*result), *this);
  }
  return opened;
}

rocksdb::IOStatus FaultyFileSystem::BeforeAppend() const {
  if (disk_full_) {
    return rocksdb::IOStatus::NoSpace("injected: no space left on device");
  }
  if (fail_writes_) return rocksdb::IOStatus::IOError("injected write error");
  return rocksdb::IOStatus::OK();
}

rocksdb::IOStatus FaultyFileSystem::Sync() {
  {
    absl::MutexLock lock(&hold_mu_);
    ++held_;
    auto released = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(hold_mu_) {
      return !holding_ || fail_syncs_;
    };
    hold_mu_.Await(absl::Condition(&released));
    --held_;
  }
  if (fail_syncs_) return rocksdb::IOStatus::IOError("injected sync error");
  ++syncs_;
  return rocksdb::IOStatus::OK();
}

void FaultyFileSystem::FailSyncs(bool fail) {
  // Under the lock, so that a held sync re-checks its condition.
  absl::MutexLock lock(&hold_mu_);
  fail_syncs_ = fail;
}

void FaultyFileSystem::HoldSyncs() {
  absl::MutexLock lock(&hold_mu_);
  holding_ = true;
}

void FaultyFileSystem::ReleaseSyncs() {
  absl::MutexLock lock(&hold_mu_);
  holding_ = false;
}

void FaultyFileSystem::AwaitHeldSync() {
  absl::MutexLock lock(&hold_mu_);
  auto held = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(hold_mu_) {
    return held_ > 0;
  };
  hold_mu_.Await(absl::Condition(&held));
}

const char* FaultName(Fault fault) {
  switch (fault) {
    case Fault::kWriteError:
      return "WriteError";
    case Fault::kSyncError:
      return "SyncError";
    case Fault::kDiskFull:
      return "DiskFull";
  }
  return "Unknown";
}

void FaultyFileSystem::Inject(Fault fault, bool on) {
  switch (fault) {
    case Fault::kWriteError:
      FailWrites(on);
      break;
    case Fault::kSyncError:
      FailSyncs(on);
      break;
    case Fault::kDiskFull:
      FillDisk(on);
      break;
  }
}

}  // namespace riskledger::testing
