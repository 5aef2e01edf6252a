// The thread-pool executor, on RocksDB's ThreadPool.
#include "storage/executor.h"

#include <utility>

#include "rocksdb/threadpool.h"

namespace riskledger::storage {
namespace {

class ThreadPoolExecutor : public Executor {
 public:
  explicit ThreadPoolExecutor(int threads)
      : pool_(rocksdb::NewThreadPool(threads)) {}
  // The pool drops work scheduled after this starts: its owner must have
  // stopped everything that schedules (documented on NewThreadPoolExecutor).
  ~ThreadPoolExecutor() override { pool_->WaitForJobsAndJoinAllThreads(); }
  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;

  void Schedule(std::function<void()> work) override {
    pool_->SubmitJob(std::move(work));
  }

 private:
  std::unique_ptr<rocksdb::ThreadPool> pool_;
};

}  // namespace

std::unique_ptr<Executor> NewThreadPoolExecutor(int threads) {
  return std::make_unique<ThreadPoolExecutor>(threads);
}

}  // namespace riskledger::storage
