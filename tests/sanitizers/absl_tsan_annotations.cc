// ThreadSanitizer annotations for the system's (uninstrumented) Abseil.
//
// Debian builds libabsl_synchronization without -fsanitize=thread, so TSan
// cannot see that absl::Mutex, CondVar, Notification or BlockingCounter
// order memory accesses: every access guarded by an absl::Mutex would be
// reported as a race. Upstream Abseil annotates these operations for TSan
// (ABSL_TSAN_MUTEX_* in mutex.cc) when it is itself built with TSan; this file
// does the same from outside. Linked into every executable of a TSan build
// (RISKLEDGER_SANITIZE=thread), it defines the annotated functions, so the
// dynamic linker binds every caller to them (ours, gRPC's, and Abseil's own
// calls through its PLT; executables are linked with -rdynamic), and each
// forwards to the library's definition found with dlsym(RTLD_NEXT).
//
// The annotations follow TSan's mutex interface (sanitizer/tsan_interface.h):
// memory accessed between pre_* and post_* is ignored, which covers the
// Condition functions absl::Mutex evaluates inside Lock/Unlock/Await; the
// release happens in pre_unlock, the acquire in post_lock. A wait that
// releases and re-acquires the mutex (Await, CondVar::Wait, LockWhen) is an
// unlock before it and a lock after it.
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/base/options.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

#if !defined(__SANITIZE_THREAD__) && defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define __SANITIZE_THREAD__ 1
#endif
#endif
#ifndef __SANITIZE_THREAD__
#error "absl_tsan_annotations.cc belongs in ThreadSanitizer builds only"
#endif

namespace {

#define RISKLEDGER_STRINGIFY_INNER(x) #x
#define RISKLEDGER_STRINGIFY(x) RISKLEDGER_STRINGIFY_INNER(x)

// The Itanium-mangled name of absl::<inline namespace>::<suffix>, e.g.
// suffix "5Mutex4LockEv" for Mutex::Lock(); `const_member` for a const method.
std::string AbslSymbol(const char* suffix, bool const_member = false) {
  const char* inline_namespace =
      RISKLEDGER_STRINGIFY(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  return std::string(const_member ? "_ZNK4absl" : "_ZN4absl") +
         std::to_string(std::strlen(inline_namespace)) + inline_namespace +
         suffix;
}

// The library's definition of the function whose mangled suffix is given.
template <typename Function>
Function* Real(const char* suffix, bool const_member = false) {
  const std::string symbol = AbslSymbol(suffix, const_member);
  void* found = dlsym(RTLD_NEXT, symbol.c_str());
  if (found == nullptr) {
    std::fprintf(stderr, "absl_tsan_annotations: %s not found: %s\n",
                 symbol.c_str(), dlerror());
    std::abort();
  }
  return reinterpret_cast<Function*>(found);
}

// The library's functions call each other through the PLT, so they reach
// these definitions again (AwaitWithTimeout calls AwaitWithDeadline,
// Notification::Notify locks its Mutex): only the outermost call of a thread
// is annotated; nested ones go straight to the library.
thread_local int annotated_depth = 0;

class Nested {
 public:
  Nested() { ++annotated_depth; }
  ~Nested() { --annotated_depth; }
  Nested(const Nested&) = delete;
  Nested& operator=(const Nested&) = delete;
  static bool Active() { return annotated_depth > 0; }
};

// Seen by TSan as: unlock `mu` (releasing), wait, lock `mu` (acquiring).
template <typename Wait>
auto AsUnlockThenLock(void* mu, unsigned read_flag, Wait wait) {
  __tsan_mutex_pre_unlock(mu, read_flag);
  auto result = wait();
  __tsan_mutex_post_unlock(mu, read_flag);
  __tsan_mutex_pre_lock(mu, read_flag);
  __tsan_mutex_post_lock(mu, read_flag, 0);
  return result;
}

// Seen by TSan as a lock of `mu` that blocks (while `lock` runs).
template <typename Lock>
auto AsLock(void* mu, unsigned read_flag, Lock lock) {
  __tsan_mutex_pre_lock(mu, read_flag);
  auto result = lock();
  __tsan_mutex_post_lock(mu, read_flag, 0);
  return result;
}

constexpr unsigned kWrite = 0;
constexpr unsigned kRead = __tsan_mutex_read_lock;

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  static auto* real = Real<void(Mutex*)>("5Mutex4LockEv");
  if (Nested::Active()) return real(this);
  const Nested nested;
  AsLock(this, kWrite, [&] { return (real(this), 0); });
}

void Mutex::ReaderLock() {
  static auto* real = Real<void(Mutex*)>("5Mutex10ReaderLockEv");
  if (Nested::Active()) return real(this);
  const Nested nested;
  AsLock(this, kRead, [&] { return (real(this), 0); });
}

bool Mutex::TryLock() {
  static auto* real = Real<bool(Mutex*)>("5Mutex7TryLockEv");
  if (Nested::Active()) return real(this);
  const Nested nested;
  __tsan_mutex_pre_lock(this, __tsan_mutex_try_lock);
  const bool locked = real(this);
  __tsan_mutex_post_lock(
      this, __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed),
      0);
  return locked;
}

bool Mutex::ReaderTryLock() {
  static auto* real = Real<bool(Mutex*)>("5Mutex13ReaderTryLockEv");
  if (Nested::Active()) return real(this);
  const Nested nested;
  const unsigned flags = __tsan_mutex_try_lock | __tsan_mutex_read_lock;
  __tsan_mutex_pre_lock(this, flags);
  const bool locked = real(this);
  __tsan_mutex_post_lock(
      this, flags | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

void Mutex::Unlock() {
  static auto* real = Real<void(Mutex*)>("5Mutex6UnlockEv");
  if (Nested::Active()) return real(this);
  const Nested nested;
  __tsan_mutex_pre_unlock(this, kWrite);
  real(this);
  __tsan_mutex_post_unlock(this, kWrite);
}

void Mutex::ReaderUnlock() {
  static auto* real = Real<void(Mutex*)>("5Mutex12ReaderUnlockEv");
  if (Nested::Active()) return real(this);
  const Nested nested;
  __tsan_mutex_pre_unlock(this, kRead);
  real(this);
  __tsan_mutex_post_unlock(this, kRead);
}

void Mutex::LockWhen(const Condition& cond) {
  static auto* real =
      Real<void(Mutex*, const Condition&)>("5Mutex8LockWhenERKNS0_9ConditionE");
  if (Nested::Active()) return real(this, cond);
  const Nested nested;
  AsLock(this, kWrite, [&] { return (real(this, cond), 0); });
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static auto* real = Real<void(Mutex*, const Condition&)>(
      "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  if (Nested::Active()) return real(this, cond);
  const Nested nested;
  AsLock(this, kRead, [&] { return (real(this, cond), 0); });
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static auto* real = Real<bool(Mutex*, const Condition&, Duration)>(
      "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  if (Nested::Active()) return real(this, cond, timeout);
  const Nested nested;
  return AsLock(this, kWrite, [&] { return real(this, cond, timeout); });
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  static auto* real = Real<bool(Mutex*, const Condition&, Time)>(
      "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  if (Nested::Active()) return real(this, cond, deadline);
  const Nested nested;
  return AsLock(this, kWrite, [&] { return real(this, cond, deadline); });
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond,
                                      Duration timeout) {
  static auto* real = Real<bool(Mutex*, const Condition&, Duration)>(
      "5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  if (Nested::Active()) return real(this, cond, timeout);
  const Nested nested;
  return AsLock(this, kRead, [&] { return real(this, cond, timeout); });
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, Time deadline) {
  static auto* real = Real<bool(Mutex*, const Condition&, Time)>(
      "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  if (Nested::Active()) return real(this, cond, deadline);
  const Nested nested;
  return AsLock(this, kRead, [&] { return real(this, cond, deadline); });
}

// Await is called with the mutex held in either mode; TSan is told about the
// writer mode, which orders at least as much as the reader mode would.
void Mutex::Await(const Condition& cond) {
  static auto* real =
      Real<void(Mutex*, const Condition&)>("5Mutex5AwaitERKNS0_9ConditionE");
  if (Nested::Active()) return real(this, cond);
  const Nested nested;
  AsUnlockThenLock(this, kWrite, [&] { return (real(this, cond), 0); });
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  static auto* real = Real<bool(Mutex*, const Condition&, Duration)>(
      "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  if (Nested::Active()) return real(this, cond, timeout);
  const Nested nested;
  return AsUnlockThenLock(this, kWrite,
                          [&] { return real(this, cond, timeout); });
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  static auto* real = Real<bool(Mutex*, const Condition&, Time)>(
      "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  if (Nested::Active()) return real(this, cond, deadline);
  const Nested nested;
  return AsUnlockThenLock(this, kWrite,
                          [&] { return real(this, cond, deadline); });
}

void CondVar::Wait(Mutex* mu) {
  static auto* real =
      Real<void(CondVar*, Mutex*)>("7CondVar4WaitEPNS0_5MutexE");
  if (Nested::Active()) return real(this, mu);
  const Nested nested;
  AsUnlockThenLock(mu, kWrite, [&] { return (real(this, mu), 0); });
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  static auto* real = Real<bool(CondVar*, Mutex*, Duration)>(
      "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  if (Nested::Active()) return real(this, mu, timeout);
  const Nested nested;
  return AsUnlockThenLock(mu, kWrite, [&] { return real(this, mu, timeout); });
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  static auto* real = Real<bool(CondVar*, Mutex*, Time)>(
      "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  if (Nested::Active()) return real(this, mu, deadline);
  const Nested nested;
  return AsUnlockThenLock(mu, kWrite,
                          [&] { return real(this, mu, deadline); });
}

// Notification and BlockingCounter publish with an atomic the library writes
// uninstrumented: a release before signalling, an acquire after waiting.
void Notification::Notify() {
  static auto* real = Real<void(Notification*)>("12Notification6NotifyEv");
  if (Nested::Active()) return real(this);
  const Nested nested;
  __tsan_release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  static auto* real = Real<void(const Notification*)>(
      "12Notification19WaitForNotificationEv", /*const_member=*/true);
  if (Nested::Active()) return real(this);
  const Nested nested;
  real(this);
  __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  static auto* real = Real<bool(const Notification*, Duration)>(
      "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE",
      /*const_member=*/true);
  if (Nested::Active()) return real(this, timeout);
  const Nested nested;
  const bool notified = real(this, timeout);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  static auto* real = Real<bool(const Notification*, Time)>(
      "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE",
      /*const_member=*/true);
  if (Nested::Active()) return real(this, deadline);
  const Nested nested;
  const bool notified = real(this, deadline);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool BlockingCounter::DecrementCount() {
  static auto* real =
      Real<bool(BlockingCounter*)>("15BlockingCounter14DecrementCountEv");
  if (Nested::Active()) return real(this);
  const Nested nested;
  __tsan_release(this);
  return real(this);
}

void BlockingCounter::Wait() {
  static auto* real = Real<void(BlockingCounter*)>("15BlockingCounter4WaitEv");
  if (Nested::Active()) return real(this);
  const Nested nested;
  real(this);
  __tsan_acquire(this);
}

ABSL_NAMESPACE_END
}  // namespace absl
