// Checks the TSan build itself (ctest, RISKLEDGER_TSAN builds only):
//   tsan_self_test ordered   — accesses ordered only by absl::Mutex, Await,
//                              CondVar, Notification and BlockingCounter
//                              (the library is not instrumented): no report,
//                              so absl_tsan_annotations.cc does its job.
//   tsan_self_test unordered — the same accesses without the mutex: TSan must
//                              report a data race, so the annotations and the
//                              suppressions did not blind it.
#include <cstdio>
#include <cstring>
#include <thread>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace {

int OrderedAccesses() {
  absl::Mutex mu;
  int counter = 0;  // guarded by mu
  std::thread incrementer([&] {
    for (int i = 0; i < 1000; ++i) {
      absl::MutexLock lock(&mu);
      ++counter;
    }
  });
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](int* value) { return *value == 1000; }, &counter));
  }
  incrementer.join();

  absl::CondVar changed;
  bool ready = false;  // guarded by mu
  int payload = 0;
  std::thread producer([&] {
    payload = 42;
    absl::MutexLock lock(&mu);
    ready = true;
    changed.Signal();
  });
  {
    absl::MutexLock lock(&mu);
    while (!ready) changed.Wait(&mu);
  }
  const int seen_payload = payload;
  producer.join();

  absl::Notification published;
  int message = 0;
  std::thread publisher([&] {
    message = 7;
    published.Notify();
  });
  published.WaitForNotification();
  const int seen_message = message;
  publisher.join();

  absl::BlockingCounter done(2);
  int parts[2] = {0, 0};
  std::thread first([&] { parts[0] = 1; done.DecrementCount(); });
  std::thread second([&] { parts[1] = 2; done.DecrementCount(); });
  done.Wait();
  const int sum = parts[0] + parts[1];
  first.join();
  second.join();

  const bool right = counter == 1000 && seen_payload == 42 &&
                     seen_message == 7 && sum == 3;
  std::printf("ordered accesses: %s\n", right ? "as expected" : "WRONG");
  return right ? 0 : 1;
}

int UnorderedAccesses() {
  int counter = 0;
  absl::Notification started;
  std::thread incrementer([&] {
    started.Notify();
    for (int i = 0; i < 1000; ++i) ++counter;
  });
  started.WaitForNotification();
  for (int i = 0; i < 1000; ++i) ++counter;
  incrementer.join();
  std::printf("unordered accesses done: %d\n", counter);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "ordered") == 0) {
    return OrderedAccesses();
  }
  if (argc == 2 && std::strcmp(argv[1], "unordered") == 0) {
    return UnorderedAccesses();
  }
  std::fprintf(stderr, "usage: tsan_self_test ordered|unordered\n");
  return 2;
}
