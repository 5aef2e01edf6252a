package dev.riskledger.client;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import dev.riskledger.v1.AdminServiceGrpc;
import dev.riskledger.v1.AssessmentServiceGrpc;
import dev.riskledger.v1.AuditServiceGrpc;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a riskledger server. Every call through it gets a default
 * deadline, a {@code request_id} on a mutation that has none (so that a retry
 * is answered from the server's record instead of applied twice), retries
 * with backoff for UNAVAILABLE and for ABORTED without an etag, and the bearer
 * token. Safe for concurrent use; close it when done.
 *
 * <pre>{@code
 * try (RiskledgerClient client =
 *     RiskledgerClient.connect(ClientOptions.newBuilder("127.0.0.1:50051").build())) {
 *   Risk risk = client.assessment().getRisk(
 *       GetRiskRequest.newBuilder().setName("tenants/acme/risks/R-2026-0001").build());
 * }
 * }</pre>
 *
 * <p>Any service's generated stub gets the same behaviour from {@link #channel()}:
 * {@code XServiceGrpc.newFutureStub(client.channel())}. A failed call throws
 * {@code io.grpc.StatusRuntimeException}; {@link RiskledgerError#from} decodes
 * the details the server attached.
 */
public final class RiskledgerClient implements AutoCloseable {
  private final ManagedChannel managedChannel;
  private final ExecutorService callbacks;
  private final ScheduledExecutorService retryTimer;
  private final Channel channel;
  private final CallPolicy policy;

  private RiskledgerClient(ClientOptions options, ChannelCredentials credentials) {
    // The channel's callbacks and those the client delivers itself (a call
    // cancelled while it waits to retry) run on the same threads, never on
    // the thread that cancels.
    this.callbacks =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "riskledger-callback");
              thread.setDaemon(true);
              return thread;
            });
    // Once the pool is shut down, what the channel still delivers (a call
    // ended by the closing) runs on the delivering thread instead of being
    // rejected, so that no caller is left waiting.
    Executor orInline =
        task -> {
          try {
            callbacks.execute(task);
          } catch (RejectedExecutionException closed) {
            task.run();
          }
        };
    this.managedChannel =
        Grpc.newChannelBuilder(options.address(), credentials).executor(orInline).build();
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "riskledger-retry-timer");
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true); // a cancelled call is not kept until its retry time
    this.retryTimer = timer;
    // The caller's interceptors sit below the policy, so they see each attempt.
    List<ClientInterceptor> perAttempt = new ArrayList<>(options.interceptors());
    Collections.reverse(perAttempt); // intercept() runs the last one first
    Channel attempts = ClientInterceptors.intercept(managedChannel, perAttempt);
    this.policy = new CallPolicy(options, retryTimer, orInline);
    this.channel = ClientInterceptors.intercept(attempts, policy);
  }

  /**
   * Connects lazily: a server that is not up yet makes the first calls
   * UNAVAILABLE, which they retry.
   *
   * @throws IllegalArgumentException when the address is not host:port, or is
   *     not a loopback address and no TLS credentials were given
   */
  public static RiskledgerClient connect(ClientOptions options) {
    ChannelCredentials credentials = options.tls();
    if (credentials == null) {
      if (!isLoopback(options.address())) {
        throw new IllegalArgumentException(
            "plain text to "
                + options.address()
                + " is allowed to loopback addresses only; set ClientOptions.Builder.tls");
      }
      credentials = InsecureChannelCredentials.create();
    }
    return new RiskledgerClient(options, credentials);
  }

  /** The channel with this client's behaviour, for any service's generated stub. */
  public Channel channel() {
    return channel;
  }

  public AssessmentServiceGrpc.AssessmentServiceBlockingStub assessment() {
    return AssessmentServiceGrpc.newBlockingStub(channel);
  }

  public AuditServiceGrpc.AuditServiceBlockingStub audit() {
    return AuditServiceGrpc.newBlockingStub(channel);
  }

  public AdminServiceGrpc.AdminServiceBlockingStub admin() {
    return AdminServiceGrpc.newBlockingStub(channel);
  }

  /**
   * Closes the connection, waiting up to five seconds for calls in flight
   * (less when the waiting thread is interrupted).
   */
  @Override
  public void close() {
    managedChannel.shutdown();
    retryTimer.shutdownNow();
    policy.endWaitingCalls();
    try {
      if (!managedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
        managedChannel.shutdownNow();
        managedChannel.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      managedChannel.shutdownNow();
    }
    callbacks.shutdown(); // callbacks already queued still run
  }

  static boolean isLoopback(String address) {
    HostAndPort hostAndPort;
    try {
      hostAndPort = HostAndPort.fromString(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("address " + address + " is not host:port", e);
    }
    if (!hostAndPort.hasPort()) {
      throw new IllegalArgumentException("address " + address + " has no port");
    }
    String host = hostAndPort.getHost();
    return host.equals("localhost")
        || (InetAddresses.isInetAddress(host) && InetAddresses.forString(host).isLoopbackAddress());
  }
}
