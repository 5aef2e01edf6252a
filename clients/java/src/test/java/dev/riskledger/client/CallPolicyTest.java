package dev.riskledger.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** The retry timing rules, without a server or a clock. */
public class CallPolicyTest {
  @Test
  public void theBackoffDoublesUpToItsCap() {
    CallPolicy policy =
        new CallPolicy(
            ClientOptions.newBuilder("127.0.0.1:1")
                .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
                .build(),
            null,
            null);
    long[] wantMillis = {10, 20, 40, 40, 40};
    for (int retry = 1; retry <= wantMillis.length; retry++) {
      assertEquals(
          "backoff before retry " + retry,
          TimeUnit.MILLISECONDS.toNanos(wantMillis[retry - 1]),
          policy.backoffNanos(retry));
    }
  }

  @Test
  public void jitterSpreadsWaitsOverTheUpperHalf() {
    long base = TimeUnit.MILLISECONDS.toNanos(100);
    long least = base;
    long most = 0;
    for (int i = 0; i < 1000; i++) {
      long wait = CallPolicy.jitter(base);
      assertTrue("jitter " + wait + " within [base/2, base]", wait >= base / 2 && wait <= base);
      least = Math.min(least, wait);
      most = Math.max(most, wait);
    }
    // 1000 uniform draws reach both ends to within a tenth of the range
    // (the chance of not doing so is below 1e-40).
    assertTrue("least " + least, least < TimeUnit.MILLISECONDS.toNanos(55));
    assertTrue("most " + most, most > TimeUnit.MILLISECONDS.toNanos(95));
  }
}
