package dev.riskledger.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.riskledger.v1.AnalyseRiskRequest;
import dev.riskledger.v1.Asset;
import dev.riskledger.v1.Component;
import dev.riskledger.v1.CreateAssetRequest;
import dev.riskledger.v1.CreateCheckpointRequest;
import dev.riskledger.v1.CreateRiskRequest;
import dev.riskledger.v1.EvidenceRecord;
import dev.riskledger.v1.ExportEvidenceRequest;
import dev.riskledger.v1.GetCheckpointRequest;
import dev.riskledger.v1.GetMethodologyRequest;
import dev.riskledger.v1.GetRiskRequest;
import dev.riskledger.v1.ListRisksRequest;
import dev.riskledger.v1.Risk;
import dev.riskledger.v1.RiskSource;
import dev.riskledger.v1.SecurityProperty;
import dev.riskledger.v1.Threat;
import dev.riskledger.v1.UpdateRiskRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import com.google.common.util.concurrent.ListenableFuture;
import dev.riskledger.v1.AssessmentServiceGrpc;
import dev.riskledger.v1.GetAssetRequest;
import java.util.concurrent.ExecutionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The Java client against a real riskledgerd ($RISKLEDGERD). */
public class RiskledgerClientTest {
  private static final String TENANT = "tenants/acme";
  private static final String RISK_NAME = TENANT + "/risks/R-2026-0001";

  private TestServer server;
  private final List<RiskledgerClient> clients = new ArrayList<>();

  @Before
  public void startServer() throws Exception {
    decided.set(0);
    server = TestServer.start();
  }

  @After
  public void stopServer() throws Exception {
    for (RiskledgerClient client : clients) {
      client.close();
    }
    server.close();
  }

  private RiskledgerClient connect(Consumer<ClientOptions.Builder> configure) {
    ClientOptions.Builder options = ClientOptions.newBuilder(server.address());
    configure.accept(options);
    RiskledgerClient client = RiskledgerClient.connect(options.build());
    clients.add(client);
    return client;
  }

  private RiskledgerClient connect() {
    return connect(options -> {});
  }

  static Risk validRisk(String asset) {
    return Risk.newBuilder()
        .setAsset(asset)
        .setComponent("database")
        .setVulnerability("passwords without a second factor")
        .setThreat(
            Threat.newBuilder().setActor("external attacker").setAttackMethod("phishing"))
        .setRiskFactor("weak authentication")
        .setRiskEvent("account takeover")
        .setLoss("disclosure of salary data")
        .addAffectedProperties(SecurityProperty.SECURITY_PROPERTY_CONFIDENTIALITY)
        .setImpactDescription("salaries become public")
        .setOwner("alice")
        .setSource(RiskSource.RISK_SOURCE_INTERNAL)
        .build();
  }

  private static Asset createAsset(RiskledgerClient client, String id) {
    return client
        .assessment()
        .createAsset(
            CreateAssetRequest.newBuilder()
                .setParent(TENANT)
                .setAssetId(id)
                .setAsset(
                    Asset.newBuilder()
                        .setDisplayName("Payroll")
                        .setOwner("alice")
                        .addComponents(Component.newBuilder().setName("database")))
                .build());
  }

  private static List<Risk> listRisks(RiskledgerClient client) {
    return client
        .assessment()
        .listRisks(ListRisksRequest.newBuilder().setParent(TENANT).setPageSize(100).build())
        .getRisksList();
  }

  @Test
  public void aRiskIsCreatedAnalysedAndListed() {
    RiskledgerClient client = connect();
    Asset asset = createAsset(client, "payroll");
    Risk risk =
        client
            .assessment()
            .createRisk(
                CreateRiskRequest.newBuilder()
                    .setParent(TENANT)
                    .setRisk(validRisk(asset.getName()))
                    .build());
    assertTrue(
        "risk id " + risk.getRiskId() + " is of the form R-YYYY-NNNN (M3)",
        Pattern.matches("R-\\d{4}-\\d{4}", risk.getRiskId()));
    Risk analysed =
        client
            .assessment()
            .analyseRisk(
                AnalyseRiskRequest.newBuilder()
                    .setName(risk.getName())
                    .setImpact(4)
                    .setLikelihood(3)
                    .setImpactRationale("every salary")
                    .setLikelihoodRationale("phishing monthly")
                    .build());
    assertEquals("M5: the level is impact × likelihood", 12, analysed.getAnalysis().getComputedLevel());
    List<Risk> risks = listRisks(client);
    assertEquals(1, risks.size());
    assertEquals(risk.getName(), risks.get(0).getName());
  }

  @Test
  public void aFieldViolationIsReadOutOfInvalidArgument() {
    RiskledgerClient client = connect();
    Asset asset = createAsset(client, "payroll");
    CreateRiskRequest request =
        CreateRiskRequest.newBuilder()
            .setParent(TENANT)
            .setRisk(validRisk(asset.getName()).toBuilder().setOwner(""))
            .build();
    StatusRuntimeException thrown =
        assertThrows(StatusRuntimeException.class, () -> client.assessment().createRisk(request));
    RiskledgerError error = RiskledgerError.from(thrown).orElseThrow();
    assertEquals(Status.Code.INVALID_ARGUMENT, error.code());
    assertTrue(
        "a violation of risk.owner in " + error.fieldViolations(),
        error.violation("risk.owner").filter(d -> !d.isEmpty()).isPresent());
    assertTrue("an ErrorInfo reason", !error.reason().isEmpty());
    assertEquals("riskledger.v1", error.domain());
    // Also when the status is the cause of another exception.
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        RiskledgerError.from(new RuntimeException(thrown)).orElseThrow().code());
    assertTrue(RiskledgerError.from(new RuntimeException("not a call")).isEmpty());
  }

  /** Passes each attempt's status through {@code onClose} before the client sees it. */
  private static ClientInterceptor beforeClose(UnaryOperator<Status> onClose) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            super.start(
                new SimpleForwardingClientCallListener<>(listener) {
                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    super.onClose(onClose.apply(status), trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  /**
   * Lets the first attempt of each call reach the server, then reports
   * UNAVAILABLE as if the answer had been lost on the way back.
   */
  private static ClientInterceptor loseFirstAnswer(AtomicInteger attempts) {
    return beforeClose(
        status ->
            attempts.incrementAndGet() == 1 && status.isOk()
                ? Status.UNAVAILABLE.withDescription("answer lost (test)")
                : status);
  }

  @Test
  public void aMutationRetriedAfterALostAnswerWritesOnce() {
    RiskledgerClient plain = connect();
    Asset asset = createAsset(plain, "payroll");
    AtomicInteger attempts = new AtomicInteger();
    RiskledgerClient lossy = connect(options -> options.addInterceptor(loseFirstAnswer(attempts)));

    CreateRiskRequest request =
        CreateRiskRequest.newBuilder().setParent(TENANT).setRisk(validRisk(asset.getName())).build();
    Risk risk = lossy.assessment().createRisk(request);
    assertEquals("the lost attempt and its retry", 2, attempts.get());
    assertEquals("the caller's request is unchanged", "", request.getRequestId());
    List<Risk> risks = listRisks(plain);
    assertEquals(1, risks.size());
    assertEquals(risk.getName(), risks.get(0).getName());
    // The same request sent again is a new mutation with a new id: a second risk.
    plain.assessment().createRisk(request);
    assertEquals(2, listRisks(plain).size());
  }

  /** Attempts of answerWith's calls after which the client decided whether to retry. */
  private static final AtomicInteger decided = new AtomicInteger();

  /** Fails every attempt with {@code code} without calling the server. */
  private static ClientInterceptor answerWith(
      Status.Code code, AtomicInteger attempts, Runnable onAttempt) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        return new ClientCall<>() {
          private Listener<RespT> listener;

          @Override
          public void start(Listener<RespT> responseListener, Metadata headers) {
            listener = responseListener;
          }

          @Override
          public void request(int numMessages) {}

          @Override
          public void cancel(String message, Throwable cause) {}

          @Override
          public void halfClose() {
            attempts.incrementAndGet();
            onAttempt.run();
            listener.onClose(Status.fromCode(code).withDescription("injected (test)"), new Metadata());
            decided.incrementAndGet(); // the client decided whether to retry
          }

          @Override
          public void sendMessage(ReqT message) {}
        };
      }
    };
  }

  private RiskledgerClient failingClient(
      Status.Code code, AtomicInteger attempts, Runnable onAttempt, Duration backoff) {
    return connect(
        options ->
            options
                .defaultTimeout(Duration.ofMinutes(5))
                .maxAttempts(3)
                .backoff(backoff, backoff.multipliedBy(2))
                .addInterceptor(answerWith(code, attempts, onAttempt)));
  }

  private void expectAttempts(
      String name, Status.Code code, Consumer<RiskledgerClient> call, int wantAttempts) {
    AtomicInteger attempts = new AtomicInteger();
    RiskledgerClient client = failingClient(code, attempts, () -> {}, Duration.ofMillis(1));
    StatusRuntimeException thrown =
        assertThrows(name, StatusRuntimeException.class, () -> call.accept(client));
    assertEquals(name, code, thrown.getStatus().getCode());
    assertEquals(name + ": attempts", wantAttempts, attempts.get());
  }

  private static Consumer<RiskledgerClient> analyse(String etag) {
    return c ->
        c.assessment()
            .analyseRisk(AnalyseRiskRequest.newBuilder().setName(RISK_NAME).setEtag(etag).build());
  }

  @Test
  public void retriesFollowTheCodeTheEtagAndTheRequestId() {
    Consumer<RiskledgerClient> updateWithResourceEtag =
        c ->
            c.assessment()
                .updateRisk(
                    UpdateRiskRequest.newBuilder()
                        .setRisk(Risk.newBuilder().setName(RISK_NAME).setEtag("7"))
                        .build());
    Consumer<RiskledgerClient> checkpoint = // a mutation without request_id
        c -> c.audit().createCheckpoint(CreateCheckpointRequest.getDefaultInstance());
    Consumer<RiskledgerClient> read =
        c -> c.audit().getCheckpoint(GetCheckpointRequest.getDefaultInstance());
    Status.Code unavailable = Status.Code.UNAVAILABLE;
    Status.Code aborted = Status.Code.ABORTED;
    expectAttempts("unavailable is retried", unavailable, analyse(""), 3);
    expectAttempts("unavailable with an etag is retried", unavailable, analyse("7"), 3);
    expectAttempts("unavailable of a read is retried", unavailable, read, 3);
    expectAttempts("unavailable of a mutation without request id is not", unavailable, checkpoint, 1);
    expectAttempts("aborted without an etag is retried", aborted, analyse(""), 3);
    expectAttempts("aborted with an etag is not", aborted, analyse("7"), 1);
    expectAttempts("aborted with the resource's etag is not", aborted, updateWithResourceEtag, 1);
    expectAttempts("invalid argument is not", Status.Code.INVALID_ARGUMENT, analyse(""), 1);
    expectAttempts("not found is not", Status.Code.NOT_FOUND, analyse(""), 1);
  }

  @Test
  public void aCallCancelledDuringAFailingAttemptEndsCancelled() {
    Context.CancellableContext context = Context.current().withCancellation();
    AtomicInteger attempts = new AtomicInteger();
    // The first attempt fails retryably; the caller cancels before the retry,
    // which is a minute away.
    RiskledgerClient client =
        failingClient(
            Status.Code.UNAVAILABLE,
            attempts,
            () -> context.cancel(null),
            Duration.ofMinutes(1));
    StatusRuntimeException thrown =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                context.run(
                    () ->
                        client
                            .assessment()
                            .getRisk(GetRiskRequest.newBuilder().setName(RISK_NAME).build())));
    assertEquals(Status.Code.CANCELLED, thrown.getStatus().getCode());
    assertEquals(1, attempts.get());
  }

  @Test(timeout = 60_000) // a broken mechanism fails instead of hanging the suite
  public void aCallCancelledDuringTheBackoffWaitEndsCancelled() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RiskledgerClient client =
        failingClient(Status.Code.UNAVAILABLE, attempts, () -> {}, Duration.ofMinutes(1));
    Context.CancellableContext context = Context.current().withCancellation();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        new Thread(
            () ->
                context.run(
                    () -> {
                      try {
                        client
                            .assessment()
                            .getRisk(GetRiskRequest.newBuilder().setName(RISK_NAME).build());
                      } catch (RuntimeException e) {
                        thrown.set(e);
                      }
                    }));
    caller.start();
    while (decided.get() == 0) {
      Thread.onSpinWait(); // until the first attempt failed and the minute's wait began
    }
    context.cancel(null);
    caller.join(TimeUnit.SECONDS.toMillis(30));
    assertTrue("the call ended", !caller.isAlive());
    assertNotNull(thrown.get());
    assertEquals(Status.Code.CANCELLED, Status.fromThrowable(thrown.get()).getCode());
    assertEquals(1, attempts.get());
  }

  @Test
  public void aCallWithoutDeadlineGetsTheDefaultOne() {
    AtomicReference<Deadline> seen = new AtomicReference<>();
    ClientInterceptor record =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            seen.set(options.getDeadline());
            return next.newCall(method, options);
          }
        };
    RiskledgerClient client =
        connect(options -> options.defaultTimeout(Duration.ofSeconds(7)).addInterceptor(record));
    GetMethodologyRequest request =
        GetMethodologyRequest.newBuilder().setName(TENANT + "/methodologies/default").build();
    client.assessment().getMethodology(request);
    long remaining = seen.get().timeRemaining(TimeUnit.MILLISECONDS);
    assertTrue("about 7 s left, not " + remaining + " ms", remaining > 6_000 && remaining <= 7_000);
    // The caller's own deadline is kept.
    client.assessment().withDeadlineAfter(1, TimeUnit.MINUTES).getMethodology(request);
    remaining = seen.get().timeRemaining(TimeUnit.SECONDS);
    assertTrue("about a minute left, not " + remaining + " s", remaining > 50);
  }

  @Test
  public void evidenceStreamsThroughTheClient() {
    RiskledgerClient client = connect();
    createAsset(client, "payroll");
    Iterator<EvidenceRecord> records =
        client.audit().exportEvidence(ExportEvidenceRequest.newBuilder().setParent(TENANT).build());
    List<EvidenceRecord.RecordCase> kinds = new ArrayList<>();
    records.forEachRemaining(r -> kinds.add(r.getRecordCase()));
    assertEquals(EvidenceRecord.RecordCase.HEADER, kinds.get(0));
    assertTrue("an entry in " + kinds, kinds.contains(EvidenceRecord.RecordCase.ENTRY));
    assertEquals(EvidenceRecord.RecordCase.TRAILER, kinds.get(kinds.size() - 1));
  }

  @Test(timeout = 60_000) // a broken mechanism fails instead of hanging the suite
  public void closingTheClientEndsACallWaitingToRetry() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RiskledgerClient client =
        failingClient(Status.Code.UNAVAILABLE, attempts, () -> {}, Duration.ofMinutes(1));
    ListenableFuture<?> call =
        AssessmentServiceGrpc.newFutureStub(client.channel())
            .getRisk(GetRiskRequest.newBuilder().setName(RISK_NAME).build());
    while (decided.get() == 0) {
      Thread.onSpinWait(); // until the first attempt failed and the minute's wait began
    }
    client.close();
    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
    assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(thrown.getCause()).getCode());
  }

  @Test
  public void aRetryThatCannotStartEndsTheCall() {
    AtomicInteger calls = new AtomicInteger();
    ClientInterceptor failThenThrow =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            if (calls.incrementAndGet() > 1) {
              throw new IllegalStateException("broken interceptor (test)");
            }
            return answerWith(Status.Code.UNAVAILABLE, new AtomicInteger(), () -> {})
                .interceptCall(method, options, next);
          }
        };
    RiskledgerClient client =
        connect(
            options ->
                options
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                    .addInterceptor(failThenThrow));
    StatusRuntimeException thrown =
        assertThrows(
            StatusRuntimeException.class,
            () -> client.assessment().getRisk(GetRiskRequest.newBuilder().setName(RISK_NAME).build()));
    assertEquals(Status.Code.UNKNOWN, thrown.getStatus().getCode());
    assertEquals(2, calls.get());
  }

  @Test
  public void anAnswerThatArrivedIsKeptThoughTheCallerCancelsAfterwards() throws Exception {
    RiskledgerClient plain = connect();
    createAsset(plain, "payroll");
    Context.CancellableContext context = Context.current().withCancellation();
    ClientInterceptor cancelOnAnswer =
        beforeClose(
            status -> {
              context.cancel(null);
              return status;
            });
    RiskledgerClient client = connect(options -> options.addInterceptor(cancelOnAnswer));
    Asset asset =
        context.call(
            () ->
                client
                    .assessment()
                    .getAsset(GetAssetRequest.newBuilder().setName(TENANT + "/assets/payroll").build()));
    assertEquals(TENANT + "/assets/payroll", asset.getName());
  }

  @Test
  public void detailsThatDisagreeWithTheStatusAreLeftOut() {
    com.google.rpc.Status details =
        com.google.rpc.Status.newBuilder().setCode(Status.Code.INVALID_ARGUMENT.value()).build();
    Metadata trailers = StatusProto.toStatusRuntimeException(details).getTrailers();
    RiskledgerError error =
        RiskledgerError.from(new StatusRuntimeException(Status.CANCELLED, trailers)).orElseThrow();
    assertEquals(Status.Code.CANCELLED, error.code());
    assertTrue(error.fieldViolations().isEmpty());
  }

  @Test(timeout = 60_000) // a broken mechanism fails instead of hanging the suite
  public void aCancelWhileWaitingToRetryIsDeliveredOffTheCancellingThread() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RiskledgerClient client =
        failingClient(Status.Code.UNAVAILABLE, attempts, () -> {}, Duration.ofMinutes(1));
    // A call without an executor of its own, as a future or async stub makes.
    ClientCall<GetRiskRequest, Risk> call =
        client.channel().newCall(AssessmentServiceGrpc.getGetRiskMethod(), CallOptions.DEFAULT);
    AtomicReference<Thread> closedOn = new AtomicReference<>();
    AtomicReference<Status> closedWith = new AtomicReference<>();
    CountDownLatch closed = new CountDownLatch(1);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closedOn.set(Thread.currentThread());
            closedWith.set(status);
            closed.countDown();
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage(GetRiskRequest.newBuilder().setName(RISK_NAME).build());
    call.halfClose();
    while (decided.get() == 0) {
      Thread.onSpinWait(); // until the first attempt failed and the minute's wait began
    }
    call.cancel("the caller gave up (test)", null);
    assertTrue("the call ended", closed.await(30, TimeUnit.SECONDS));
    assertEquals(Status.Code.CANCELLED, closedWith.get().getCode());
    assertNotSame("closed on the cancelling thread", Thread.currentThread(), closedOn.get());
  }

  private static final Context.Key<String> CALLER = Context.key("caller");
  private static final Metadata.Key<String> CALLER_HEADER =
      Metadata.Key.of("x-caller", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> ATTEMPT_HEADER =
      Metadata.Key.of("x-attempt", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Records, per attempt, its name, the caller's context value and the
   * headers it was given, and adds a header of its own, as an
   * authentication interceptor would.
   */
  private static ClientInterceptor recordAttempt(String name, List<String> seen) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        String caller = CALLER.get();
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            headers.put(ATTEMPT_HEADER, name);
            synchronized (seen) {
              seen.add(
                  name
                      + " caller="
                      + caller
                      + " x-caller="
                      + count(headers.getAll(CALLER_HEADER))
                      + " x-attempt="
                      + count(headers.getAll(ATTEMPT_HEADER)));
            }
            super.start(listener, headers);
          }
        };
      }
    };
  }

  private static int count(Iterable<String> values) {
    int n = 0;
    if (values != null) {
      for (String ignored : values) {
        n++;
      }
    }
    return n;
  }

  @Test
  public void eachAttemptRunsTheInterceptorsInOrderWithTheCallersContextAndFreshHeaders() {
    List<String> seen = new ArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    RiskledgerClient client =
        connect(
            options ->
                options
                    .maxAttempts(3)
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                    .addInterceptor(recordAttempt("first", seen))
                    .addInterceptor(recordAttempt("second", seen))
                    .addInterceptor(answerWith(Status.Code.UNAVAILABLE, attempts, () -> {})));
    ClientInterceptor callerHeader =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
              @Override
              public void start(Listener<RespT> listener, Metadata headers) {
                headers.put(CALLER_HEADER, "yes");
                super.start(listener, headers);
              }
            };
          }
        };
    AssessmentServiceGrpc.AssessmentServiceBlockingStub stub =
        AssessmentServiceGrpc.newBlockingStub(client.channel()).withInterceptors(callerHeader);
    StatusRuntimeException thrown =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                Context.current()
                    .withValue(CALLER, "alice")
                    .run(
                        () -> stub.getRisk(GetRiskRequest.newBuilder().setName(RISK_NAME).build())));
    assertEquals(Status.Code.UNAVAILABLE, thrown.getStatus().getCode());
    assertEquals(3, attempts.get());
    // Retries run on the client's timer thread: the caller's context goes
    // with them, and each attempt starts from the caller's headers alone.
    List<String> want = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      want.add("first caller=alice x-caller=1 x-attempt=1");
      want.add("second caller=alice x-caller=1 x-attempt=2");
    }
    assertEquals(want, seen);
  }

  @Test
  public void plainTextIsRefusedBeyondLoopback() throws Exception {
    assertThrows(
        IllegalArgumentException.class,
        () -> RiskledgerClient.connect(ClientOptions.newBuilder("192.0.2.1:50051").build()));
    assertThrows(
        IllegalArgumentException.class,
        () -> RiskledgerClient.connect(ClientOptions.newBuilder("127.0.0.1").build()));
    for (String address : List.of("127.0.0.1:1", "localhost:1", "[::1]:1")) {
      RiskledgerClient.connect(ClientOptions.newBuilder(address).build()).close();
    }
  }
}
