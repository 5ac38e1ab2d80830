package io.kube2kafka.publish;

import io.kube2kafka.watch.KnownObjects;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Per watch: how much was handed downstream and how much of it is durable in Kafka. Shared by the
 * standalone publisher and the Connect task, which differ only in what "durable" means (a committed
 * transaction, a commitRecord callback).
 *
 * <p>The index of what the topic holds is kept by {@link TopicIndexCache}; it is reached through
 * here because a list may only read the topic once everything the watch handed on is durable.
 */
public final class WatchDurability {
    /** Throws to abandon a wait, e.g. when the publisher or task is stopping. */
    @FunctionalInterface
    public interface StopCheck {
        void check() throws InterruptedException;
    }

    private static final class Progress {
        long accepted;
        long durable;
    }

    private final Map<String, Progress> progress = new HashMap<>();
    private final TopicIndexCache indexes;

    public WatchDurability(TopicReader reader, Function<WatchTarget, String> topicFor) {
        this.indexes = new TopicIndexCache(reader, topicFor, this::awaitDurable);
    }

    public synchronized void accepted(WatchTarget target, long units) {
        progress(target).accepted += units;
    }

    /**
     * The event is in Kafka at (partition, offset); keeps a loaded index current. Callers report it
     * before the units holding the event are {@link #durable}, so a list waiting for them sees it.
     */
    public void published(WatchTarget target, WatchEvent event, int partition, long offset) {
        indexes.published(target, event, partition, offset);
    }

    public synchronized void durable(WatchTarget target, long units) {
        progress(target).durable += units;
        notifyAll();
    }

    /** Wakes every watcher waiting in {@link #knownObjects}, so it can see a stop. */
    public synchronized void wakeAll() {
        notifyAll();
    }

    /** What the topic holds for this watch, once everything it handed on is durable. */
    public KnownObjects knownObjects(WatchTarget target, StopCheck stop) throws InterruptedException {
        return indexes.knownObjects(target, stop);
    }

    /** Waits until everything the watch handed on so far is durable. */
    private synchronized void awaitDurable(WatchTarget target, StopCheck stop) throws InterruptedException {
        Progress watch = progress(target);
        long mustBeDurable = watch.accepted;
        while (watch.durable < mustBeDurable) {
            stop.check();
            wait(1000);
        }
    }

    private Progress progress(WatchTarget target) {
        return progress.computeIfAbsent(target.key(), k -> new Progress());
    }
}
