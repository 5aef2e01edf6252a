package dev.riskledger.client;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to reach the server and how calls behave. Every setting but the address
 * has a usable default.
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.newBuilder("127.0.0.1:50051").build();
 * }</pre>
 */
public final class ClientOptions {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_MAX_ATTEMPTS = 5;
  static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(50);
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);

  private final String address;
  private final ChannelCredentials tls;
  private final String bearerToken;
  private final Duration defaultTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final List<ClientInterceptor> interceptors;

  private ClientOptions(Builder builder) {
    address = builder.address;
    tls = builder.tls;
    bearerToken = builder.bearerToken;
    defaultTimeout = builder.defaultTimeout;
    maxAttempts = builder.maxAttempts;
    initialBackoff = builder.initialBackoff;
    maxBackoff =
        builder.maxBackoff.compareTo(builder.initialBackoff) < 0
            ? builder.initialBackoff
            : builder.maxBackoff;
    interceptors = List.copyOf(builder.interceptors);
  }

  /** Options for the server at {@code address} (host:port). */
  public static Builder newBuilder(String address) {
    return new Builder(address);
  }

  public String address() {
    return address;
  }

  /** The TLS credentials, or null for plain text (loopback only). */
  public ChannelCredentials tls() {
    return tls;
  }

  /** The bearer token sent on every call, or null. */
  public String bearerToken() {
    return bearerToken;
  }

  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public List<ClientInterceptor> interceptors() {
    return interceptors;
  }

  /** Builds {@link ClientOptions}. */
  public static final class Builder {
    private final String address;
    private ChannelCredentials tls;
    private String bearerToken;
    private Duration defaultTimeout = DEFAULT_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private final List<ClientInterceptor> interceptors = new ArrayList<>();

    private Builder(String address) {
      this.address = Objects.requireNonNull(address, "address");
    }

    /**
     * Secures the connection, e.g. {@code TlsChannelCredentials.newBuilder()
     * .trustManager(caFile).build()}. Without it the connection is plain text,
     * which {@link RiskledgerClient#connect} allows to loopback addresses only.
     */
    public Builder tls(ChannelCredentials credentials) {
      tls = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Sends {@code authorization: Bearer <token>} on every call. */
    public Builder bearerToken(String token) {
      bearerToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Bounds a unary call that has no deadline of its own (neither on the stub
     * nor on the current {@code io.grpc.Context}), all attempts included.
     */
    public Builder defaultTimeout(Duration timeout) {
      defaultTimeout = positive(timeout, "defaultTimeout");
      return this;
    }

    /** Attempts of a retryable call, the first included (1 disables retries). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, not " + attempts);
      }
      maxAttempts = attempts;
      return this;
    }

    /** The wait before the first retry, doubled per retry up to {@code max}, with jitter. */
    public Builder backoff(Duration initial, Duration max) {
      initialBackoff = positive(initial, "initial backoff");
      maxBackoff = positive(max, "max backoff");
      return this;
    }

    /**
     * Interceptors that run once per attempt, inside the retries (logging,
     * metrics, tests that simulate a lost answer).
     */
    public Builder addInterceptor(ClientInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    public ClientOptions build() {
      return new ClientOptions(this);
    }

    private static Duration positive(Duration duration, String what) {
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, not " + duration);
      }
      return duration;
    }
  }
}
