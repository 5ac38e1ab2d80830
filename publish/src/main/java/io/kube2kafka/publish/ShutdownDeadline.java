package io.kube2kafka.publish;

import io.kube2kafka.watch.Backoff;

import java.time.Duration;

/**
 * The stop request and the moment by which a stop gives up on what is not committed, shared by the
 * publisher's round loop and the retry loops of a round's delivery, so every retry against Kafka
 * ends in time.
 */
final class ShutdownDeadline {
    private volatile boolean stopping;
    /** System.nanoTime() by which a stop gives up on what is not committed; set with {@link #stopping}. */
    private volatile long deadline;

    /** Asks for a stop that waits at most {@code timeout} for Kafka. */
    void stopWithin(Duration timeout) {
        deadline = System.nanoTime() + timeout.toNanos();
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    boolean passed() {
        return stopping && System.nanoTime() - deadline > 0;
    }

    /**
     * Retries against Kafka double from {@code initial} up to 10 s: short enough that a broker back
     * from a restart is used within seconds, long enough that an outage costs a few requests a minute.
     */
    static Backoff retryBackoff(Duration initial) {
        return new Backoff(initial, Duration.ofSeconds(10));
    }

    /** Waits before a retry, but not past the shutdown deadline. */
    void sleepBeforeRetry(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        try {
            // In slices: a stop requested meanwhile sets the deadline, which may come before the pause ends.
            while (System.nanoTime() - until < 0 && !passed()) {
                Thread.sleep(Math.max(1, Math.min(100, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            // Nothing interrupts this thread on purpose; the retry loop checks the deadline itself.
        }
    }
}
