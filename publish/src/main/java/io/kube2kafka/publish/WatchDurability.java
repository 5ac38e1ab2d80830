package io.kube2kafka.publish;

import io.kube2kafka.watch.KnownObjects;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Per watch: how much was handed downstream, how much of it is durable in Kafka, and the index of
 * what the topic holds, loaded the first time a list needs it and kept current afterwards. Shared by
 * the standalone publisher and the Connect task, which differ only in what "durable" means
 * (a committed transaction, a commitRecord callback).
 */
public final class WatchDurability {
    private static final Logger log = LoggerFactory.getLogger(WatchDurability.class);

    /** Throws to abandon a wait, e.g. when the publisher or task is stopping. */
    @FunctionalInterface
    public interface StopCheck {
        void check() throws InterruptedException;
    }

    private static final class Progress {
        long accepted;
        long durable;
        TopicObjectIndex index;
        /**
         * Per partition, the offset of this watch's newest committed record: reading the topic must get
         * at least that far, or a list right after a commit would miss the watch's own latest records.
         */
        final Map<Integer, Long> ownLastOffsets = new HashMap<>();
    }

    private final TopicReader reader;
    private final Function<WatchTarget, String> topicFor;
    private final Map<String, Progress> progress = new HashMap<>();

    public WatchDurability(TopicReader reader, Function<WatchTarget, String> topicFor) {
        this.reader = reader;
        this.topicFor = topicFor;
    }

    public synchronized void accepted(WatchTarget target, long units) {
        progress(target).accepted += units;
    }

    /** The event is in Kafka at (partition, offset); keeps a loaded index current. */
    public synchronized void published(WatchTarget target, WatchEvent event, int partition, long offset) {
        Progress watch = progress(target);
        watch.ownLastOffsets.merge(partition, offset, Math::max);
        TopicObjectIndex index = watch.index;
        if (index != null) {
            index.published(event, partition, offset);
        }
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
        Progress watch;
        Map<Integer, Long> ownLastOffsets;
        synchronized (this) {
            watch = progress(target);
            awaitDurable(watch, stop);
            if (watch.index != null) {
                watch.index.relistStarts();
                return watch.index;
            }
            ownLastOffsets = new HashMap<>(watch.ownLastOffsets);
        }
        // Read outside the monitor: other watches keep committing meanwhile. This watch hands on
        // nothing until the index is back, so no update for it can be missed.
        String topic = topicFor.apply(target);
        long started = System.nanoTime();
        TopicObjectIndex index = TopicObjectIndex.load(reader, topic, target, ownLastOffsets, () -> settle(watch, stop));
        log.info("{}: {} holds {} live objects of this watch (read in {} ms)", target, topic, index.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        synchronized (this) {
            watch.index = index;
        }
        return index;
    }

    /** Waits until everything the watch handed on is durable; then where its own newest records are. */
    private synchronized Map<Integer, Long> settle(Progress watch, StopCheck stop) throws InterruptedException {
        awaitDurable(watch, stop);
        return new HashMap<>(watch.ownLastOffsets);
    }

    private void awaitDurable(Progress watch, StopCheck stop) throws InterruptedException {
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
