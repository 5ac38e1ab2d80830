package io.kube2kafka.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline and a message, instead of sleeping a fixed time. */
public final class Await {
  private Await() {}

  public static void until(BooleanSupplier condition, Duration timeout, String message) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + message);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // re-check interval, not a guess at timing
    }
  }
}
