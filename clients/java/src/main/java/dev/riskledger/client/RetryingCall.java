package dev.riskledger.client;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Message;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A unary call made of attempts: the request is kept, each attempt is a new
 * call on the channel below, and an attempt that fails retryably (see {@link
 * CallPolicy#retryable}) is followed by another after a backoff, while
 * attempts and the deadline allow. Only the last attempt's answer reaches the
 * caller's listener. Cancelling the call, or its {@link Context}, ends it at
 * once, also while it waits to retry.
 */
final class RetryingCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private final CallPolicy policy;
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions callOptions;
  private final Channel next;
  private final Context context = Context.current();
  private final Context.CancellationListener onContextCancelled = this::contextCancelled;

  private final Object lock = new Object();
  // Guarded by lock.
  private Listener<RespT> listener;
  private Metadata headers;
  private ReqT request;
  private boolean idempotent;
  private boolean etagSent;
  private int attempts;
  private ClientCall<ReqT, RespT> attempt;
  private ScheduledFuture<?> pendingRetry;
  private boolean cancelled;
  private boolean finished;

  RetryingCall(
      CallPolicy policy,
      MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions,
      Channel next) {
    this.policy = policy;
    this.method = method;
    this.callOptions = callOptions;
    this.next = next;
  }

  @Override
  public void start(Listener<RespT> responseListener, Metadata requestHeaders) {
    synchronized (lock) {
      if (listener != null) {
        throw new IllegalStateException("call already started");
      }
      listener = responseListener;
      headers = requestHeaders;
    }
    context.addListener(onContextCancelled, MoreExecutors.directExecutor());
  }

  /** Each attempt asks for the one answer itself. */
  @Override
  public void request(int numMessages) {}

  @Override
  public void sendMessage(ReqT message) {
    synchronized (lock) {
      if (request != null) {
        throw new IllegalStateException("a unary call sends one message");
      }
      request = prepare(message);
    }
  }

  @Override
  public void halfClose() {
    startAttempt();
  }

  @Override
  public void cancel(String message, Throwable cause) {
    ClientCall<ReqT, RespT> inFlight;
    synchronized (lock) {
      if (cancelled || finished) {
        return;
      }
      cancelled = true;
      inFlight = pendingRetry == null ? attempt : null;
      if (inFlight == null) {
        if (pendingRetry != null) {
          pendingRetry.cancel(false);
          pendingRetry = null;
        }
        if (listener == null) {
          finished = true;
          return;
        }
      }
    }
    if (inFlight != null) {
      inFlight.cancel(message, cause); // its close reaches the listener, unretried
      return;
    }
    finishElsewhere(
        Status.CANCELLED
            .withDescription(message == null ? "call cancelled" : message)
            .withCause(cause));
  }

  @Override
  public boolean isReady() {
    synchronized (lock) {
      return attempt != null && pendingRetry == null && attempt.isReady();
    }
  }

  @Override
  public Attributes getAttributes() {
    synchronized (lock) {
      return attempt == null ? Attributes.EMPTY : attempt.getAttributes();
    }
  }

  @SuppressWarnings("unchecked") // the request id goes on a copy of the same message type
  private ReqT prepare(ReqT message) {
    idempotent = CallPolicy.isRead(method);
    if (!(message instanceof Message)) {
      return message;
    }
    Message sent = RequestFields.withRequestId((Message) message);
    idempotent = idempotent || RequestFields.hasRequestId(sent);
    etagSent = RequestFields.carriesEtag(sent);
    return (ReqT) sent;
  }

  private void startAttempt() {
    synchronized (lock) {
      pendingRetry = null;
      if (finished || cancelled) {
        return;
      }
      if (listener == null || request == null) {
        throw new IllegalStateException("halfClose before start and sendMessage");
      }
      attempts++;
      Metadata attemptHeaders = new Metadata();
      attemptHeaders.merge(headers);
      Context previous = context.attach();
      try {
        attempt = next.newCall(method, callOptions);
        attempt.start(new AttemptListener(attempt), attemptHeaders);
        attempt.request(1);
        attempt.sendMessage(request);
        attempt.halfClose();
      } finally {
        context.detach(previous);
      }
    }
  }

  /** Called on the attempt's executor when it ends; retries or finishes the call. */
  private void attemptClosed(
      ClientCall<ReqT, RespT> closed,
      Status status,
      Metadata trailers,
      Metadata answerHeaders,
      RespT answer) {
    synchronized (lock) {
      if (finished || closed != attempt) {
        return;
      }
      if (!cancelled && context.isCancelled()) {
        status = Contexts.statusFromCancelled(context);
      } else if (!cancelled && shouldRetry(status)) {
        return;
      }
      finished = true;
    }
    context.removeListener(onContextCancelled);
    Status finalStatus = status;
    onCallExecutor(
        () -> {
          if (answerHeaders != null) {
            listener.onHeaders(answerHeaders);
          }
          if (answer != null && finalStatus.isOk()) {
            listener.onMessage(answer);
          }
          listener.onClose(finalStatus, trailers);
        });
  }

  /** Schedules the next attempt when this failure allows one; lock held. */
  private boolean shouldRetry(Status status) {
    if (attempts >= policy.maxAttempts()
        || !CallPolicy.retryable(status.getCode(), etagSent, idempotent)) {
      return false;
    }
    long wait = CallPolicy.jitter(policy.backoffNanos(attempts));
    Deadline deadline = effectiveDeadline();
    if (deadline != null && deadline.timeRemaining(TimeUnit.NANOSECONDS) <= wait) {
      return false;
    }
    try {
      pendingRetry = policy.retryTimer().schedule(this::startAttempt, wait, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closedClient) {
      return false;
    }
    return true;
  }

  private Deadline effectiveDeadline() {
    Deadline fromOptions = callOptions.getDeadline();
    Deadline fromContext = context.getDeadline();
    if (fromOptions == null) {
      return fromContext;
    }
    return fromContext == null ? fromOptions : fromOptions.minimum(fromContext);
  }

  /** The caller's context was cancelled: a call waiting to retry ends now. */
  private void contextCancelled(Context cancelledContext) {
    synchronized (lock) {
      if (finished || pendingRetry == null) {
        return; // an attempt in flight ends by itself, under the same context
      }
      pendingRetry.cancel(false);
      pendingRetry = null;
    }
    finishElsewhere(Contexts.statusFromCancelled(cancelledContext));
  }

  /** Closes the listener on behalf of an attempt that did not end by itself. */
  private void finishElsewhere(Status status) {
    synchronized (lock) {
      if (finished) {
        return;
      }
      finished = true;
    }
    context.removeListener(onContextCancelled);
    onCallExecutor(() -> listener.onClose(status, new Metadata()));
  }

  /**
   * Runs a listener callback on the call's executor when it has one: a
   * blocking stub's caller waits for work there, and an attempt (a retry
   * started by the timer, or an interceptor's) may end on another thread.
   */
  private void onCallExecutor(Runnable callback) {
    Executor executor = callOptions.getExecutor();
    if (executor == null) {
      callback.run();
    } else {
      executor.execute(callback);
    }
  }

  /** Holds one attempt's answer until the attempt ends. */
  private final class AttemptListener extends Listener<RespT> {
    private final ClientCall<ReqT, RespT> call;
    private Metadata answerHeaders;
    private RespT answer;

    AttemptListener(ClientCall<ReqT, RespT> call) {
      this.call = call;
    }

    @Override
    public void onHeaders(Metadata headers) {
      answerHeaders = headers;
    }

    @Override
    public void onMessage(RespT message) {
      answer = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      attemptClosed(call, status, trailers, answerHeaders, answer);
    }
  }
}
