package dev.riskledger.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The riskledgerd named by $RISKLEDGERD, on an ephemeral loopback port and a
 * temporary data directory, for as long as the test holds it.
 */
final class TestServer implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");

  private final Process process;
  private final Path dataDir;
  private final String address;

  private TestServer(Process process, Path dataDir, String address) {
    this.process = process;
    this.dataDir = dataDir;
    this.address = address;
  }

  static TestServer start() throws Exception {
    String binary = System.getenv("RISKLEDGERD");
    if (binary == null || binary.isEmpty()) {
      throw new IllegalStateException("RISKLEDGERD must name the riskledgerd binary to test against");
    }
    Path dataDir = Files.createTempDirectory("riskledger-java-client");
    Process process =
        new ProcessBuilder(binary, "--listen=127.0.0.1:0", "--data_dir=" + dataDir).start();
    CompletableFuture<String> listening = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader stderr =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = stderr.readLine()) != null; ) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    listening.complete(m.group(1));
                  }
                }
              } catch (IOException e) {
                listening.completeExceptionally(e);
              }
              // Its stderr closed: it exited (or closed it) before listening.
              listening.completeExceptionally(
                  new IllegalStateException("riskledgerd ended its log without listening"));
            },
            "riskledgerd-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      return new TestServer(process, dataDir, listening.get(30, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly().waitFor();
      deleteTree(dataDir);
      throw new IllegalStateException("riskledgerd did not start listening", e);
    }
  }

  String address() {
    return address;
  }

  @Override
  public void close() throws IOException {
    try {
      process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(dataDir);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
