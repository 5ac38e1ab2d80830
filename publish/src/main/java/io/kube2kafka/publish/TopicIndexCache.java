package io.kube2kafka.publish;

import io.kube2kafka.publish.WatchDurability.StopCheck;
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
 * Per watch, the index of what its topic holds: loaded the first time a list needs it, kept current
 * with the watch's own commits afterwards, and told where those commits are so a reload reads far
 * enough.
 */
final class TopicIndexCache {
    private static final Logger log = LoggerFactory.getLogger(TopicIndexCache.class);

    /** Waits until everything the watch handed on is durable: the topic is only read after that. */
    @FunctionalInterface
    interface UntilDurable {
        void await(WatchTarget target, StopCheck stop) throws InterruptedException;
    }

    private static final class Cached {
        TopicObjectIndex index;
        /**
         * Per partition, the offset of this watch's newest committed record: reading the topic must get
         * at least that far, or a list right after a commit would miss the watch's own latest records.
         */
        final Map<Integer, Long> ownLastOffsets = new HashMap<>();
    }

    private final TopicReader reader;
    private final Function<WatchTarget, String> topicFor;
    private final UntilDurable untilDurable;
    private final Map<String, Cached> cached = new HashMap<>();

    TopicIndexCache(TopicReader reader, Function<WatchTarget, String> topicFor, UntilDurable untilDurable) {
        this.reader = reader;
        this.topicFor = topicFor;
        this.untilDurable = untilDurable;
    }

    /** The event is in Kafka at (partition, offset); keeps a loaded index current. */
    synchronized void published(WatchTarget target, WatchEvent event, int partition, long offset) {
        Cached watch = cached(target);
        watch.ownLastOffsets.merge(partition, offset, Math::max);
        TopicObjectIndex index = watch.index;
        if (index != null) {
            index.published(event, partition, offset);
        }
    }

    /** What the topic holds for this watch, once everything it handed on is durable. */
    KnownObjects knownObjects(WatchTarget target, StopCheck stop) throws InterruptedException {
        // Once durable, every event the watch handed on has been reported to published() (callers
        // report an event before its units become durable), and the watch hands on nothing more
        // while it waits here.
        untilDurable.await(target, stop);
        Cached watch;
        Map<Integer, Long> ownLastOffsets;
        synchronized (this) {
            watch = cached(target);
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
        TopicObjectIndex index = TopicObjectIndex.load(reader, topic, target, ownLastOffsets, () -> settle(target, watch, stop));
        log.info("{}: {} holds {} live objects of this watch (read in {} ms)", target, topic, index.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        synchronized (this) {
            watch.index = index;
        }
        return index;
    }

    /** Waits until everything the watch handed on is durable; then where its own newest records are. */
    private Map<Integer, Long> settle(WatchTarget target, Cached watch, StopCheck stop) throws InterruptedException {
        untilDurable.await(target, stop);
        synchronized (this) {
            return new HashMap<>(watch.ownLastOffsets);
        }
    }

    private Cached cached(WatchTarget target) {
        return cached.computeIfAbsent(target.key(), k -> new Cached());
    }
}
