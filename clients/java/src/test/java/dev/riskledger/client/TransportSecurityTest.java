package dev.riskledger.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.google.common.util.concurrent.ListenableFuture;
import dev.riskledger.v1.AssessmentServiceGrpc;
import dev.riskledger.v1.GetMethodologyRequest;
import dev.riskledger.v1.GetRiskRequest;
import dev.riskledger.v1.Methodology;
import dev.riskledger.v1.Risk;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * TLS credentials and the bearer token, against a small Java server that
 * records the authorization header it receives (riskledgerd itself listens in
 * plain text on loopback for now).
 */
public class TransportSecurityTest {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static File certificate;
  private static File privateKey;

  private static final Metadata.Key<String> EXTRA =
      Metadata.Key.of("x-extra", Metadata.ASCII_STRING_MARSHALLER);

  private final AtomicReference<String> authorization = new AtomicReference<>();
  private final AtomicReference<String> extra = new AtomicReference<>();
  private Server server;

  /** A self-signed certificate for localhost and 127.0.0.1, made with openssl. */
  @BeforeClass
  public static void makeCertificate() throws Exception {
    Path dir = Files.createTempDirectory("riskledger-tls");
    certificate = dir.resolve("cert.pem").toFile();
    privateKey = dir.resolve("key.pem").toFile();
    certificate.deleteOnExit();
    privateKey.deleteOnExit();
    dir.toFile().deleteOnExit();
    Process openssl =
        new ProcessBuilder(
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", privateKey.getPath(), "-out", certificate.getPath())
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes());
    assertEquals("openssl: " + output, 0, openssl.waitFor());
  }

  private String startServer(ServerCredentials credentials) throws Exception {
    AssessmentServiceGrpc.AssessmentServiceImplBase service =
        new AssessmentServiceGrpc.AssessmentServiceImplBase() {
          @Override
          public void getMethodology(
              GetMethodologyRequest request, StreamObserver<Methodology> answer) {
            answer.onNext(Methodology.newBuilder().setName(request.getName()).build());
            answer.onCompleted();
          }

          @Override
          public void getRisk(GetRiskRequest request, StreamObserver<Risk> answer) {
            heldCalls.countDown(); // and never answered
          }
        };
    ServerInterceptor recordAuthorization =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            authorization.set(headers.get(AUTHORIZATION));
            extra.set(headers.get(EXTRA));
            return next.startCall(call, headers);
          }
        };
    server =
        Grpc.newServerBuilderForPort(0, credentials)
            .addService(ServerInterceptors.intercept(service, recordAuthorization))
            .build()
            .start();
    return "localhost:" + server.getPort();
  }

  /** Counted down by each GetRisk call, which the server never answers. */
  private final CountDownLatch heldCalls = new CountDownLatch(1);

  @After
  public void stopServer() throws Exception {
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static Methodology getMethodology(ClientOptions options) {
    try (RiskledgerClient client = RiskledgerClient.connect(options)) {
      return client
          .assessment()
          .getMethodology(
              GetMethodologyRequest.newBuilder().setName("tenants/acme/methodologies/default").build());
    }
  }

  @Test
  public void theBearerTokenIsSentInPlainTextToLoopback() throws Exception {
    String address = startServer(InsecureServerCredentials.create());
    getMethodology(ClientOptions.newBuilder(address).bearerToken("s3cret").build());
    assertEquals("Bearer s3cret", authorization.get());
  }

  @Test
  public void aStubsOwnCredentialsAreSentWithTheToken() throws Exception {
    String address = startServer(InsecureServerCredentials.create());
    CallCredentials own =
        new CallCredentials() {
          @Override
          public void applyRequestMetadata(
              RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
            Metadata headers = new Metadata();
            headers.put(EXTRA, "mine");
            applier.apply(headers);
          }

          @Override
          public void thisUsesUnstableApi() {}
        };
    try (RiskledgerClient client =
        RiskledgerClient.connect(ClientOptions.newBuilder(address).bearerToken("s3cret").build())) {
      client
          .assessment()
          .withCallCredentials(own)
          .getMethodology(GetMethodologyRequest.newBuilder().setName("m").build());
    }
    assertEquals("Bearer s3cret", authorization.get());
    assertEquals("mine", extra.get());
  }

  @Test
  public void theBearerTokenIsSentOverTls() throws Exception {
    String address = startServer(TlsServerCredentials.create(certificate, privateKey));
    ChannelCredentials tls = TlsChannelCredentials.newBuilder().trustManager(certificate).build();
    Methodology methodology =
        getMethodology(ClientOptions.newBuilder(address).tls(tls).bearerToken("s3cret").build());
    assertEquals("tenants/acme/methodologies/default", methodology.getName());
    assertEquals("Bearer s3cret", authorization.get());
  }

  @Test
  public void aServerThatTheTlsCredentialsDoNotTrustIsRefused() throws Exception {
    String address = startServer(TlsServerCredentials.create(certificate, privateKey));
    ChannelCredentials systemRoots = TlsChannelCredentials.create();
    StatusRuntimeException thrown =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                getMethodology(
                    ClientOptions.newBuilder(address)
                        .tls(systemRoots)
                        .maxAttempts(1)
                        .defaultTimeout(Duration.ofSeconds(20))
                        .build()));
    assertEquals(Status.Code.UNAVAILABLE, thrown.getStatus().getCode());
    assertEquals("no call reached the server", null, authorization.get());
  }

  @Test
  public void tlsIsAcceptedBeyondLoopback() {
    RiskledgerClient.connect(
            ClientOptions.newBuilder("192.0.2.1:443").tls(TlsChannelCredentials.create()).build())
        .close();
  }

  @Test(timeout = 60_000) // a caller left waiting fails the test instead of hanging it
  public void closingTheClientEndsACallTheServerNeverAnswers() throws Exception {
    String address = startServer(InsecureServerCredentials.create());
    RiskledgerClient client = RiskledgerClient.connect(ClientOptions.newBuilder(address).build());
    ListenableFuture<Risk> call =
        AssessmentServiceGrpc.newFutureStub(client.channel())
            .getRisk(GetRiskRequest.newBuilder().setName("tenants/acme/risks/R-2026-0001").build());
    heldCalls.await();
    client.close(); // five seconds' grace, then the call is ended
    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
    assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(thrown.getCause()).getCode());
  }
}
