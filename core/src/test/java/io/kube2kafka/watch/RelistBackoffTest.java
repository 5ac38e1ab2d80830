package io.kube2kafka.watch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** client-go's reflector backoff manager: doubling pauses up to the cap, back to the start after two quiet minutes. */
class RelistBackoffTest {

    @Test
    void pausesDoubleToTheCapAndStartOverAfterTwoMinutesWithoutARelist() {
        AtomicLong now = new AtomicLong();
        RelistBackoff backoff = new RelistBackoff(Duration.ofMillis(800), Duration.ofSeconds(30), now::get);
        long[] bases = {800, 1600, 3200, 6400, 12800, 25600, 30000, 30000};
        for (long base : bases) {
            assertWithin(base, backoff.nextPause());
            now.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        now.addAndGet(RelistBackoff.RESET_AFTER.toNanos());
        assertWithin(800, backoff.nextPause());
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertWithin(1600, backoff.nextPause());
    }

    /** Jitter adds up to half the base. */
    private static void assertWithin(long baseMillis, Duration pause) {
        assertTrue(pause.toMillis() >= baseMillis && pause.toMillis() < baseMillis * 3 / 2,
                pause.toMillis() + " ms is not within [" + baseMillis + ", " + baseMillis * 3 / 2 + ")");
    }
}
