package io.kube2kafka.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline and a message, instead of sleeping a fixed time. */
public final class Await {
  private Await() {}

  public static void until(BooleanSupplier condition, Duration timeout, String message) {
    until(condition, timeout, () -> message);
  }

  /** @param message built only on a timeout, so it can hold what happened meanwhile (a child process's log) */
  public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> message) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + message.get());
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // re-check interval, not a guess at timing
    }
  }
}
