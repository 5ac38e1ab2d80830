package io.kube2kafka.connect;

import io.kube2kafka.publish.TopicObjectIndex;
import io.kube2kafka.publish.TopicReader;
import io.kube2kafka.watch.KnownObjects;
import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchSink;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Where a task's watchers hand their batches, for {@code poll()} to take: the Connect counterpart of
 * the bridge's TransactionalPublisher, minus the producer, which Connect owns.
 *
 * <p>The queue is bounded by bytes, so a watcher blocks in {@link #accept} while Connect is slow and
 * its stream slows to Connect's pace. {@link #stop} wakes a {@code poll()} waiting on an empty queue.
 *
 * <p>Commit tracking: an event counts as durable once Connect reports its last record committed
 * ({@code commitRecord}: acknowledged by the broker with at-least-once, part of a committed
 * transaction with exactly-once). {@link #knownObjects} answers only when every event the watch
 * handed on before is durable, so a list is never compared with a topic that lacks the watch's own
 * latest records.
 */
final class TaskSink implements WatchSink {
    private static final Logger log = LoggerFactory.getLogger(TaskSink.class);
    /** Stands for "stopping" in the queue, so a blocked take() returns at once. */
    private static final WatchBatch WAKE_UP = new WatchBatch(null, List.of(), null);

    private final Function<WatchTarget, String> topicFor;
    private final TopicReader reader;
    private final LinkedBlockingQueue<WatchBatch> queue = new LinkedBlockingQueue<>();
    private final Semaphore queuedKilobytes;
    private final int maxKilobytes;
    private final Map<String, Progress> progress = new HashMap<>();
    private final Map<SourceRecord, Sent> inFlight = new IdentityHashMap<>();
    private volatile boolean stopping;

    /** How far one watch's events have got; guarded by this. */
    private static final class Progress {
        long accepted;
        long durable;
        TopicObjectIndex index;
    }

    /** The event a record completes, once committed. */
    private record Sent(WatchTarget target, WatchEvent event) {
    }

    TaskSink(Function<WatchTarget, String> topicFor, TopicReader reader, long maxQueuedBytes) {
        this.topicFor = topicFor;
        this.reader = reader;
        this.maxKilobytes = (int) Math.min(Integer.MAX_VALUE, maxQueuedBytes / 1024);
        this.queuedKilobytes = new Semaphore(maxKilobytes);
    }

    @Override
    public void accept(WatchBatch batch) throws InterruptedException {
        if (stopping) {
            throw new InterruptedException("the task is stopping");
        }
        queuedKilobytes.acquire(kilobytes(batch));
        synchronized (this) {
            progress.computeIfAbsent(batch.target().key(), k -> new Progress()).accepted += batch.events().size();
        }
        queue.put(batch);
    }

    /**
     * Batches in the order the watchers handed them on, up to about maxEvents events; empty when
     * nothing arrived within the timeout or the task is stopping.
     */
    List<WatchBatch> take(int maxEvents, Duration timeout) throws InterruptedException {
        List<WatchBatch> round = new ArrayList<>();
        WatchBatch first = stopping ? null : queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null || first == WAKE_UP) {
            return round;
        }
        round.add(first);
        int events = first.events().size();
        WatchBatch next;
        while (events < maxEvents && (next = queue.peek()) != null && next != WAKE_UP) {
            round.add(queue.poll());
            events += next.events().size();
        }
        for (WatchBatch batch : round) {
            queuedKilobytes.release(kilobytes(batch));
        }
        return round;
    }

    /** Called by poll() for each record it returns; the last record of an event carries the event. */
    synchronized void sent(SourceRecord record, WatchTarget target, WatchEvent completes) {
        if (completes != null) {
            inFlight.put(record, new Sent(target, completes));
        }
    }

    /** Connect's commitRecord: metadata is null when a transform dropped the record. */
    synchronized void committed(SourceRecord record, RecordMetadata metadata) {
        Sent sent = inFlight.remove(record);
        if (sent == null) {
            return;
        }
        Progress watch = progress.get(sent.target().key());
        if (watch.index != null && metadata != null) {
            watch.index.published(sent.event(), metadata.partition(), metadata.offset());
        }
        watch.durable++;
        notifyAll();
    }

    @Override
    public KnownObjects knownObjects(WatchTarget target) throws InterruptedException {
        Progress watch;
        synchronized (this) {
            watch = progress.computeIfAbsent(target.key(), k -> new Progress());
            long mustBeDurable = watch.accepted;
            while (watch.durable < mustBeDurable) {
                if (stopping) {
                    throw new InterruptedException("the task is stopping");
                }
                wait(1000);
            }
            if (watch.index != null) {
                return watch.index;
            }
        }
        // Read outside the monitor so commitRecord callbacks of other watches go on meanwhile; this
        // watch hands on nothing until the index is back, so no update of it can be missed.
        String topic = topicFor.apply(target);
        long started = System.nanoTime();
        TopicObjectIndex index = TopicObjectIndex.load(reader, topic, target);
        log.info("{}: {} holds {} live objects of this watch (read in {} ms)", target, topic, index.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        synchronized (this) {
            watch.index = index;
        }
        return index;
    }

    /** Wakes a waiting take() and every watcher waiting in knownObjects(). */
    void stop() {
        stopping = true;
        queue.offer(WAKE_UP);
        synchronized (this) {
            notifyAll();
        }
    }

    /** A batch larger than the whole bound takes all of it, rather than waiting forever. */
    private int kilobytes(WatchBatch batch) {
        return (int) Math.min(maxKilobytes, Math.max(1, batch.sizeInBytes() / 1024));
    }
}
