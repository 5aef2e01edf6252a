package dev.riskledger.client;

import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.CompositeCallCredentials;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What every call goes through: the bearer token; for a unary call also the
 * default deadline, the request id and the retries ({@link RetryingCall}).
 */
final class CallPolicy implements ClientInterceptor {
  private final long timeoutNanos;
  private final int maxAttempts;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final BearerToken bearerToken;
  private final ScheduledExecutorService retryTimer;
  private final Executor callbacks;
  private final Set<RetryingCall<?, ?>> waiting = ConcurrentHashMap.newKeySet();

  CallPolicy(ClientOptions options, ScheduledExecutorService retryTimer, Executor callbacks) {
    this.timeoutNanos = options.defaultTimeout().toNanos();
    this.maxAttempts = options.maxAttempts();
    this.initialBackoffNanos = options.initialBackoff().toNanos();
    this.maxBackoffNanos = options.maxBackoff().toNanos();
    this.bearerToken = options.bearerToken() == null ? null : new BearerToken(options.bearerToken());
    this.retryTimer = retryTimer;
    this.callbacks = callbacks;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    if (bearerToken != null) {
      // The stub's own credentials, if any, are kept: both apply.
      CallCredentials own = callOptions.getCredentials();
      callOptions =
          callOptions.withCallCredentials(
              own == null ? bearerToken : new CompositeCallCredentials(own, bearerToken));
    }
    if (method.getType() != MethodDescriptor.MethodType.UNARY) {
      return next.newCall(method, callOptions);
    }
    if (callOptions.getDeadline() == null && Context.current().getDeadline() == null) {
      callOptions = callOptions.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
    }
    return new RetryingCall<>(this, method, callOptions, next);
  }

  int maxAttempts() {
    return maxAttempts;
  }

  ScheduledExecutorService retryTimer() {
    return retryTimer;
  }

  /** Where a call without an executor of its own gets the callbacks the client delivers. */
  Executor callbacks() {
    return callbacks;
  }

  /** Calls waiting for their next attempt (registered by the call itself). */
  Set<RetryingCall<?, ?>> waiting() {
    return waiting;
  }

  /**
   * After the timer and the channel were shut down: each call waiting to
   * retry tries now, fails on the closed channel and ends, instead of
   * waiting for a timer that no longer runs.
   */
  void endWaitingCalls() {
    for (RetryingCall<?, ?> call : waiting) {
      call.retryNow();
    }
  }

  /** The backoff before retry number {@code retry} (1 for the first). */
  long backoffNanos(int retry) {
    long backoff = initialBackoffNanos;
    for (int i = 1; i < retry && backoff < maxBackoffNanos; i++) {
      backoff *= 2;
    }
    return Math.min(backoff, maxBackoffNanos);
  }

  /** A uniformly random wait in [d/2, d], so that failed callers do not retry in step. */
  static long jitter(long nanos) {
    long half = nanos / 2;
    return half + ThreadLocalRandom.current().nextLong(nanos - half + 1);
  }

  /**
   * UNAVAILABLE when a repeat cannot apply the call twice (a read, or a
   * mutation with a request id: its retry is answered from the server's
   * record); the answer may have been lost after the server acted. ABORTED (a
   * conflict the server could not order; nothing was applied) only without an
   * etag: with one it means the caller's copy is stale and must be read again,
   * not resent.
   */
  static boolean retryable(Status.Code code, boolean etagSent, boolean idempotent) {
    switch (code) {
      case UNAVAILABLE:
        return idempotent;
      case ABORTED:
        return !etagSent;
      default:
        return false;
    }
  }

  /** Unary methods that only read (Get, List, Verify …), by the API's naming. */
  static boolean isRead(MethodDescriptor<?, ?> method) {
    String name = method.getBareMethodName();
    return name != null
        && (name.startsWith("Get") || name.startsWith("List") || name.startsWith("Verify"));
  }
}
