package io.kube2kafka.bench;

import io.kube2kafka.watch.KnownObjects;
import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchSink;
import io.kube2kafka.watch.WatchTarget;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Where a benchmark's watcher hands its events when only reading is measured: it counts them and
 * keeps nothing. The watch resumes, so it never lists and never asks what downstream holds.
 */
final class CountingSink implements WatchSink {
    private final AtomicLong handedOn = new AtomicLong();
    private final long enough;
    private final LongConsumer onEnough;

    /** Counts only. */
    CountingSink() {
        this(Long.MAX_VALUE, total -> { });
    }

    /** @param onEnough called once, on the watch thread, with the total when it first reaches {@code enough} */
    CountingSink(long enough, LongConsumer onEnough) {
        this.enough = enough;
        this.onEnough = onEnough;
    }

    @Override
    public void accept(WatchBatch batch) {
        long before = handedOn.getAndAdd(batch.events().size());
        long total = before + batch.events().size();
        if (before < enough && total >= enough) {
            onEnough.accept(total);
        }
    }

    @Override
    public KnownObjects knownObjects(WatchTarget target) {
        throw new IllegalStateException("the watch resumes; it never lists");
    }

    long handedOn() {
        return handedOn.get();
    }
}
