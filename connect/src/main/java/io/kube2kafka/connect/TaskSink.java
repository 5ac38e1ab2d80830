package io.kube2kafka.connect;

import io.kube2kafka.publish.BatchQueue;
import io.kube2kafka.publish.TopicReader;
import io.kube2kafka.publish.WatchDurability;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
    private final WatchDurability durability;
    private final BatchQueue queue;
    private final Map<SourceRecord, Sent> inFlight = new IdentityHashMap<>();
    private volatile boolean stopping;

    /** The event a record completes, once committed. */
    private record Sent(WatchTarget target, WatchEvent event) {
    }

    TaskSink(Function<WatchTarget, String> topicFor, TopicReader reader, long maxQueuedBytes) {
        this.durability = new WatchDurability(reader, topicFor);
        this.queue = new BatchQueue(maxQueuedBytes);
    }

    @Override
    public void accept(WatchBatch batch) throws InterruptedException {
        if (stopping) {
            throw new InterruptedException("the task is stopping");
        }
        durability.accepted(batch.target(), batch.events().size());
        queue.put(batch);
    }

    /**
     * Batches in the order the watchers handed them on, up to about maxEvents events; empty when
     * nothing arrived within the timeout or the task is stopping.
     */
    List<WatchBatch> take(int maxEvents, Duration timeout) throws InterruptedException {
        if (stopping) {
            return List.of();
        }
        List<WatchBatch> round = queue.take(maxEvents, timeout);
        // Connect owns the records from here; its own buffers bound what is in flight.
        queue.release(round);
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
        if (metadata != null) {
            durability.published(sent.target(), sent.event(), metadata.partition(), metadata.offset());
            if (sent.event().handover() != null) {
                // The event's last record is the handover's state, in the other watch's name (RecordFactory.outgoing).
                durability.published(sent.event().handover().watch(), sent.event().handover().event(), metadata.partition(), metadata.offset());
            }
        }
        durability.durable(sent.target(), 1);
    }

    @Override
    public KnownObjects knownObjects(WatchTarget target) throws InterruptedException {
        return durability.knownObjects(target, () -> {
            if (stopping) {
                throw new InterruptedException("the task is stopping");
            }
        });
    }

    /** Wakes a waiting take() and every watcher waiting in knownObjects(). */
    void stop() {
        stopping = true;
        queue.wakeUp();
        durability.wakeAll();
    }
}
