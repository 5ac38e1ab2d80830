package io.kube2kafka.watch;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces the lists of one watch, so a watch whose every resume point expires (410 Gone) cannot list
 * back to back and hammer the API server.
 *
 * <p>As client-go's reflector does: {@code NewReflectorWithOptions} gives each reflector
 * {@code wait.NewExponentialBackoffManager(800*time.Millisecond, 30*time.Second, 2*time.Minute, 2.0, 1.0, clock)},
 * and {@code Run} calls {@code ListAndWatch} through {@code wait.BackoffUntil(..., r.backoffManager, true, stopCh)},
 * so after a watch ends every new list waits a pause that doubles up to the cap ("backoff will stop at
 * [30,60) sec interval"), and "if we don't backoff for 2min, assume API server is healthy and we reset
 * the backoff" (k8s.io/client-go/tools/cache/reflector.go). The initial pause and the cap are the
 * watch's own {@code watch.backoff-initial} and {@code watch.backoff-max} (800 ms and 30 s by default);
 * the jitter is {@link Backoff}'s (up to half the pause; client-go's factor 1.0 allows up to a whole one).
 */
final class RelistBackoff {
    /** client-go's resetDuration: two minutes without a relist means the server is healthy again. */
    static final Duration RESET_AFTER = Duration.ofMinutes(2);

    private final Backoff backoff;
    private final LongSupplier nanoTime;
    private long lastRelistNanos;
    private boolean relistedBefore;

    /** @param nanoTime the clock that tells when two minutes have passed ({@code System::nanoTime}; a test's own) */
    RelistBackoff(Duration initial, Duration max, LongSupplier nanoTime) {
        this.backoff = new Backoff(initial, max);
        this.nanoTime = nanoTime;
    }

    /** The pause before the next list. */
    Duration nextPause() {
        long now = nanoTime.getAsLong();
        if (relistedBefore && now - lastRelistNanos >= RESET_AFTER.toNanos()) {
            backoff.reset();
        }
        relistedBefore = true;
        lastRelistNanos = now;
        return backoff.nextDelay();
    }
}
