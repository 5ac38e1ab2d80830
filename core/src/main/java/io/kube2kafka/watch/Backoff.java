package io.kube2kafka.watch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for one watch.
 *
 * <p>client-go's reflector starts at 800 ms and caps at 30 s, doubling with jitter; at the cap a
 * broken watch costs the API server two requests a minute, which a few hundred bridges can afford.
 * Jitter spreads the reconnects of many watches after a shared outage (an API server restart).
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The pause before the next attempt; each call doubles the following one up to the cap. */
    public Duration nextDelay() {
        Duration base = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        long jitter = (long) (base.toMillis() * ThreadLocalRandom.current().nextDouble(0, 0.5));
        return base.plusMillis(jitter);
    }

    public void reset() {
        next = initial;
    }
}
