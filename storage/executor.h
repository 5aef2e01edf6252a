// Executor: runs work on a fixed pool of threads, so that the threads that
// sequence and sync the log, and gRPC's threads, hand work off instead of
// doing it.
#ifndef RISKLEDGER_STORAGE_EXECUTOR_H_
#define RISKLEDGER_STORAGE_EXECUTOR_H_

#include <functional>
#include <memory>

namespace riskledger::storage {

// Thread-safe.
class Executor {
 public:
  virtual ~Executor() = default;
  // Runs `work` on one of the pool's threads, soon; never on the caller's.
  virtual void Schedule(std::function<void()> work) = 0;
};

// A pool of `threads` threads (RocksDB's thread pool). Its destructor runs
// the work already scheduled, then joins the threads; work scheduled while
// it runs may be dropped, so whoever schedules must have stopped first.
std::unique_ptr<Executor> NewThreadPoolExecutor(int threads);

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_EXECUTOR_H_
