// Await: runs an asynchronous operation that reports through a callback and
// waits for its outcome, for tests that check outcomes one call at a time.
#ifndef RISKLEDGER_TESTS_TESTING_AWAIT_H_
#define RISKLEDGER_TESTS_TESTING_AWAIT_H_

#include <functional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"

namespace riskledger::testing {

// Calls `start` with a callback and returns what the callback received.
template <typename T, typename Start>
absl::StatusOr<T> Await(Start&& start) {
  absl::StatusOr<T> outcome = absl::UnknownError("no outcome");
  absl::Notification done;
  std::function<void(absl::StatusOr<T>)> callback =
      [&](absl::StatusOr<T> result) {
        outcome = std::move(result);
        done.Notify();
      };
  start(std::move(callback));
  done.WaitForNotification();
  return outcome;
}

// Calls `(object.*method)(call, request, reply)` (the shape of a mutation
// handler) and returns the reply.
template <typename Object, typename Call, typename Request, typename Response>
absl::StatusOr<Response> AwaitCall(
    const Object& object,
    void (Object::*method)(const Call&, const Request&,
                           std::function<void(absl::StatusOr<Response>)>)
        const,
    const Call& call, const Request& request) {
  return Await<Response>(
      [&](std::function<void(absl::StatusOr<Response>)> reply) {
        (object.*method)(call, request, std::move(reply));
      });
}

}  // namespace riskledger::testing

#endif  // RISKLEDGER_TESTS_TESTING_AWAIT_H_
