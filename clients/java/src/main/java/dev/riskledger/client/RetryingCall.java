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
  private boolean halfClosed;
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
      if (cancelled) {
        throw new IllegalStateException("call was cancelled");
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
    synchronized (lock) {
      if (halfClosed) {
        throw new IllegalStateException("halfClose already called");
      }
      halfClosed = true;
    }
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
          policy.waiting().remove(this);
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

  /**
   * Starts the next attempt. The attempt is made and recorded under the lock
   * and driven outside it: an attempt may end at once, on this thread, and
   * its close must not find the lock held (its listener may take locks of
   * its own). A failure to start it ends the call.
   */
  private void startAttempt() {
    ClientCall<ReqT, RespT> call = null;
    RuntimeException notMade = null;
    Metadata attemptHeaders = new Metadata();
    policy.waiting().remove(this);
    synchronized (lock) {
      if (finished || cancelled) {
        return;
      }
      if (listener == null || request == null) {
        throw new IllegalStateException("halfClose before start and sendMessage");
      }
      attempts++;
      attemptHeaders.merge(headers);
      Context previous = context.attach();
      try {
        call = next.newCall(method, callOptions);
      } catch (RuntimeException e) {
        finished = true;
        notMade = e;
      } finally {
        context.detach(previous);
      }
      attempt = call;
    }
    if (notMade != null) {
      failed(notMade); // outside the lock: the listener may run here
      return;
    }
    Context previous = context.attach();
    try {
      call.start(new AttemptListener(call), attemptHeaders);
      call.request(1);
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException e) {
      call.cancel("the attempt failed to start", e);
      synchronized (lock) {
        if (finished) {
          return;
        }
        finished = true;
      }
      failed(e);
    } finally {
      context.detach(previous);
    }
  }

  /** Ends the call (already marked finished) with the error that stopped an attempt. */
  private void failed(RuntimeException e) {
    context.removeListener(onContextCancelled);
    Status status = Status.fromThrowable(e);
    onCallExecutor(() -> listener.onClose(status, new Metadata()));
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
      if (!cancelled && wouldRetry(status)) {
        if (context.isCancelled()) {
          // The caller gave up; what it is told is why, not the failure.
          status = Contexts.statusFromCancelled(context);
          trailers = new Metadata();
          answerHeaders = null;
        } else if (scheduleRetry()) {
          return;
        }
      }
      finished = true;
    }
    context.removeListener(onContextCancelled);
    Status finalStatus = status;
    Metadata finalTrailers = trailers;
    Metadata finalHeaders = answerHeaders;
    onCallExecutor(
        () -> {
          if (finalHeaders != null) {
            listener.onHeaders(finalHeaders);
          }
          if (answer != null && finalStatus.isOk()) {
            listener.onMessage(answer);
          }
          listener.onClose(finalStatus, finalTrailers);
        });
  }

  /** Whether this failure allows another attempt; lock held. */
  private boolean wouldRetry(Status status) {
    return attempts < policy.maxAttempts()
        && CallPolicy.retryable(status.getCode(), etagSent, idempotent);
  }

  /** Schedules the next attempt when the deadline leaves time for it; lock held. */
  private boolean scheduleRetry() {
    long wait = CallPolicy.jitter(policy.backoffNanos(attempts));
    Deadline deadline = effectiveDeadline();
    if (deadline != null && deadline.timeRemaining(TimeUnit.NANOSECONDS) <= wait) {
      return false;
    }
    // Registered before it is scheduled: a client closing in between finds
    // it (and its retryNow waits for this lock, so it sees pendingRetry).
    policy.waiting().add(this);
    try {
      pendingRetry = policy.retryTimer().schedule(this::startRetry, wait, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closedClient) {
      policy.waiting().remove(this);
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

  /**
   * The retry the timer started, or that the client's closing starts early:
   * whichever comes first takes it, so that there is one attempt.
   */
  private void startRetry() {
    synchronized (lock) {
      if (pendingRetry == null) {
        return;
      }
      pendingRetry.cancel(false);
      pendingRetry = null;
    }
    startAttempt();
  }

  /** Its client is closing: a call waiting to retry makes its attempt now. */
  void retryNow() {
    startRetry();
  }

  /** The caller's context was cancelled: a call waiting to retry ends now. */
  private void contextCancelled(Context cancelledContext) {
    synchronized (lock) {
      if (finished || pendingRetry == null) {
        return; // an attempt in flight ends by itself, under the same context
      }
      pendingRetry.cancel(false);
      pendingRetry = null;
      policy.waiting().remove(this);
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
   * Runs a listener callback on the call's executor, or the client's when the
   * call has none (a future or async stub): a blocking stub's caller waits
   * for work on its own, an attempt (a retry started by the timer, or an
   * interceptor's) may end on another thread, and a cancel must not run the
   * caller's listener on the cancelling thread. After the client closed, the
   * callback runs here.
   */
  private void onCallExecutor(Runnable callback) {
    Executor executor = callOptions.getExecutor();
    try {
      (executor == null ? policy.callbacks() : executor).execute(callback);
    } catch (RejectedExecutionException closedClient) {
      callback.run();
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
