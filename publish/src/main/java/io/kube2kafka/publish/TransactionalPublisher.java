package io.kube2kafka.publish;

import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.watch.Backoff;
import io.kube2kafka.watch.KnownObjects;
import io.kube2kafka.watch.SinkStoppedException;
import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchSink;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Publishes watch batches to Kafka from one thread, round by round, each round together with the
 * checkpoint of every watch it covers. How a round reaches Kafka is its {@link RoundDelivery}: with
 * exactly-once in one transaction with the checkpoints ({@link TransactionalDelivery}: either the
 * records and the new resume points are visible to read_committed consumers, or neither is), with
 * at-least-once checkpoints written once the records are acknowledged ({@link AcknowledgedDelivery}).
 * This class runs the rounds: the queue, the retries, the shutdown deadline and what is durable.
 *
 * <p>Batching is natural: the thread takes whatever has queued up while the previous transaction
 * committed, so a lone event after a quiet hour is committed at once, and a firehose fills large
 * transactions. Watchers block while more than kafka.max-queued-bytes wait.
 *
 * <p>Errors, as KafkaProducer's class comment sorts them: fenced (another bridge took over this
 * transactional.id), out-of-order sequence and authorization errors are fatal and stop the bridge
 * ({@link FatalKafkaErrors}); anything else aborts the transaction and retries the same batches (an
 * abort that times out while the broker is down is retried too; the producer is never recreated,
 * see {@link TransactionalDelivery}). Retried batches keep their order, and nothing is checkpointed
 * until it is committed, so an outage loses nothing.
 */
public final class TransactionalPublisher implements WatchSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalPublisher.class);
    /** How long a stop waits for the publisher once the producer was closed under it: it only logs and exits. */
    private static final Duration FORCED_CLOSE_GRACE = Duration.ofSeconds(10);

    private final PublisherSettings settings;
    private final RecordFactory records;
    private final TopicReader reader;
    private final Consumer<Throwable> onFatal;
    private final BatchQueue queue;
    private final WatchDurability durability;
    private final Thread thread;
    private final PublisherStats stats = new PublisherStats();
    private final TopicLimits topicLimits;
    private final FatalKafkaErrors fatalErrors;
    private final ShutdownDeadline deadline = new ShutdownDeadline();
    private final RoundDelivery delivery;
    private volatile Throwable fatal;
    private volatile KafkaProducer<byte[], byte[]> producer;

    /**
     * @param topicLimits read again when Kafka refuses a record as too large, so the records of the retry
     *     follow output.oversized instead of failing the same way forever
     */
    public TransactionalPublisher(PublisherSettings settings, RecordFactory records, TopicReader reader, TopicLimits topicLimits,
                                  Consumer<Throwable> onFatal) {
        this.settings = settings;
        this.records = records;
        this.topicLimits = topicLimits;
        this.reader = reader;
        this.onFatal = onFatal;
        this.queue = new BatchQueue(settings.maxQueuedBytes());
        this.thread = new Thread(this::run, "kube2kafka-publisher");
        this.durability = new WatchDurability(reader, records::topicFor);
        this.fatalErrors = new FatalKafkaErrors(settings.transactionalId());
        RoundSender sender = new RoundSender(records, settings.checkpointTopic(), settings.notificationTopic());
        this.delivery = settings.exactlyOnce() ? new TransactionalDelivery(sender, fatalErrors, deadline, stats)
                : new AcknowledgedDelivery(sender);
    }

    /**
     * Creates the producer and, with exactly-once, fences every earlier producer of this
     * transactional.id and aborts its open transaction. Call before reading checkpoints: a
     * predecessor that is still running can then commit nothing more, so the checkpoints read
     * afterwards are final and no event is published twice. Waits for the broker as long as it takes.
     *
     * @throws ConfigurationException when Kafka's producer refuses kafka.producer (e.g. acks=1 with
     *     exactly-once): no retry cures that
     */
    public TransactionalPublisher initialize() throws InterruptedException, ConfigurationException {
        Backoff backoff = ShutdownDeadline.retryBackoff(Duration.ofMillis(500));
        while (true) {
            KafkaProducer<byte[], byte[]> created = newProducer();
            try {
                delivery.prepare(created);
                producer = created;
                return this;
            } catch (KafkaException e) {
                created.close(Duration.ZERO);
                if (FatalKafkaErrors.isFatal(e)) {
                    throw fatalErrors.fatal(e);
                }
                stats.failed(e);
                Duration pause = backoff.nextDelay();
                log.warn("cannot initialise the Kafka producer yet ({}); retrying in {} ms", e.getMessage(), pause.toMillis());
                Thread.sleep(pause.toMillis());
            }
        }
    }

    public TransactionalPublisher start() {
        thread.start();
        return this;
    }

    public PublisherStats stats() {
        return stats;
    }

    /** The current producer's own metrics (record errors, retries, ...); empty while there is none. */
    public Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> producerMetrics() {
        KafkaProducer<byte[], byte[]> current = producer;
        return current == null ? Map.of() : current.metrics();
    }

    @Override
    public void accept(WatchBatch batch) throws InterruptedException {
        if (fatal != null) {
            throw new SinkStoppedException("the publisher has stopped: " + fatal.getMessage(), fatal);
        }
        durability.accepted(batch.target(), 1);
        stats.accepted(batch);
        queue.put(batch);
    }

    @Override
    public KnownObjects knownObjects(WatchTarget target) throws InterruptedException {
        return durability.knownObjects(target, () -> {
            if (fatal != null) {
                throw new SinkStoppedException("the publisher has stopped: " + fatal.getMessage(), fatal);
            }
        });
    }

    /**
     * Publishes what is queued, then stops; waits at most kafka.shutdown-timeout for Kafka, a round
     * already in flight included.
     */
    @Override
    public void close() throws InterruptedException {
        deadline.stopWithin(settings.shutdownTimeout());
        // No interrupt: one landing inside a Kafka call would fail the round being committed.
        // The publisher notices the flag within one queue poll (500 ms), and each retry loop checks the deadline.
        thread.join(settings.shutdownTimeout().toMillis() + 1);
        KafkaProducer<byte[], byte[]> current = producer;
        if (thread.isAlive() && current != null) {
            // Still blocked in a Kafka call (send waits up to max.block.ms for metadata, a commit as long for
            // its answer): closing the producer without waiting fails that call, and the publisher gives up.
            log.warn("kafka.shutdown-timeout ({} ms) passed while Kafka did not answer; closing the producer",
                    settings.shutdownTimeout().toMillis());
            current.close(Duration.ZERO);
        }
        thread.join(FORCED_CLOSE_GRACE.toMillis());
    }

    /** Bytes handed over by the watchers and not yet committed (bounded by kafka.max-queued-bytes). */
    public long queuedBytes() {
        return queue.queuedBytes();
    }

    /** Watchers waiting for room in the queue: paused until Kafka catches up. */
    public int pausedWatchers() {
        return queue.blockedPutters();
    }

    /** True while the last transaction succeeded: the readiness of the Kafka side. */
    public boolean healthy() {
        return stats.healthy();
    }

    private void run() {
        try {
            while (true) {
                List<WatchBatch> round = nextRound();
                if (round.isEmpty()) {
                    if (deadline.stopping()) {
                        break;
                    }
                    continue;
                }
                if (!publish(round)) {
                    reportNotCommitted(round);
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            fatal = e;
            log.error("publishing failed fatally: {}", e.getMessage(), e);
            onFatal.accept(e);
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            durability.wakeAll();
        }
    }

    private List<WatchBatch> nextRound() {
        try {
            return queue.take(settings.maxBatchEvents(), deadline.stopping() ? Duration.ZERO : Duration.ofMillis(500));
        } catch (InterruptedException e) {
            // Nothing interrupts this thread on purpose; the loop checks the stop flag either way.
            return List.of();
        }
    }

    /** @return false when the shutdown deadline passed before the round could be committed */
    private boolean publish(List<WatchBatch> round) {
        Backoff backoff = ShutdownDeadline.retryBackoff(Duration.ofMillis(200));
        Collection<WatchBatch> resumePoints = latestResumePoints(round);
        while (true) {
            if (deadline.passed()) {
                return false;
            }
            try {
                long started = System.nanoTime();
                List<RoundSender.Sent> sent = delivery.deliver(producer(), round, resumePoints);
                stats.committed(round, sent.size(), System.nanoTime() - started);
                afterCommit(round, resumePoints, sent);
                return true;
            } catch (KafkaException | IllegalStateException e) {
                if (e instanceof IllegalStateException && !deadline.passed()) {
                    throw (IllegalStateException) e;
                }
                // After the deadline, close() may have closed the producer under this round: the call then
                // fails with an IllegalStateException, and the round is given up below.
                fatalErrors.throwIfFatal(e);
                stats.failed(e);
                log.warn("publishing {} batches failed ({}); nothing of them is visible or checkpointed; retrying",
                        round.size(), e.getMessage());
                if (!delivery.recover(producer) || deadline.passed()) {
                    log.error("gave up publishing {} batches at shutdown: {}", round.size(), e.getMessage());
                    return false;
                }
                if (causedBy(e, RecordTooLargeException.class)) {
                    readTopicLimitsAgain(round);
                }
                deadline.sleepBeforeRetry(backoff.nextDelay());
            }
        }
    }

    /** Per watch in the round, the last batch with a resume point, in the order the watches appear. */
    private static Collection<WatchBatch> latestResumePoints(List<WatchBatch> round) {
        Map<WatchTarget, WatchBatch> latest = new LinkedHashMap<>();
        for (WatchBatch batch : round) {
            if (batch.resumeResourceVersion() != null) {
                latest.put(batch.target(), batch);
            }
        }
        return latest.values();
    }

    private void afterCommit(List<WatchBatch> round, Collection<WatchBatch> resumePoints, List<RoundSender.Sent> sent) {
        for (RoundSender.Sent s : sent) {
            RecordMetadata metadata = RoundSender.acknowledged(s.metadata());
            durability.published(s.target(), s.event(), metadata.partition(), metadata.offset());
        }
        // Per watch, not per batch: a firehose round holds thousands of small batches, and each
        // durable() wakes the watchers waiting on the monitor.
        Map<WatchTarget, Integer> batchesByWatch = new LinkedHashMap<>();
        for (WatchBatch batch : round) {
            batchesByWatch.merge(batch.target(), 1, Integer::sum);
        }
        queue.release(round);
        batchesByWatch.forEach(durability::durable);
        for (WatchBatch batch : resumePoints) {
            stats.checkpointed(batch.target(), batch.resumeResourceVersion());
        }
    }

    /** The producer {@link #initialize()} made; it is never replaced (see {@link TransactionalDelivery#recover}). */
    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            throw new IllegalStateException("initialize() was not called");
        }
        return producer;
    }

    /**
     * Building a producer contacts no broker, so what fails here is the settings: a combination Kafka
     * rejects (acks=1 or enable.idempotence=false with a transactional.id), a class or keystore that
     * cannot be loaded. Retrying cannot cure it, so it is a configuration error.
     */
    private KafkaProducer<byte[], byte[]> newProducer() throws ConfigurationException {
        Map<String, Object> config = new HashMap<>(settings.producerConfig());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        if (settings.exactlyOnce()) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        }
        try {
            return new KafkaProducer<>(config);
        } catch (KafkaException e) {
            StringBuilder reason = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                reason.append(": ").append(cause.getMessage());
            }
            throw new ConfigurationException(List.of(ConfigKeys.PRODUCER_CONFIG + ": the Kafka producer refuses these settings ("
                    + (settings.exactlyOnce() ? "with kafka.delivery=exactly-once" : "with kafka.delivery=at-least-once") + "): " + reason));
        }
    }

    /**
     * Says, per watch, what a stop gave up on: the events of the failed round and of every batch still
     * queued. None of them is checkpointed (with exactly-once the round's transaction is aborted, or
     * completed, by the next bridge's initTransactions, checkpoint and records together), so a restart
     * resumes each watch from its last checkpoint and reads them again from the API server.
     */
    private void reportNotCommitted(List<WatchBatch> round) {
        List<WatchBatch> left = new ArrayList<>(round);
        try {
            left.addAll(queue.take(Integer.MAX_VALUE, Duration.ZERO));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<WatchTarget, List<WatchEvent>> byWatch = new LinkedHashMap<>();
        for (WatchBatch batch : left) {
            byWatch.computeIfAbsent(batch.target(), t -> new ArrayList<>()).addAll(batch.events());
        }
        Map<String, String> checkpointed = stats.committedResourceVersions();
        List<String> lines = new ArrayList<>();
        byWatch.forEach((target, events) -> {
            String checkpoint = checkpointed.get(target.key());
            lines.add("watch " + target.key() + ": " + events.size() + " events"
                    + (events.isEmpty() ? "" : " (resourceVersion " + events.get(0).resourceVersion() + " to "
                    + events.get(events.size() - 1).resourceVersion() + ")")
                    + ", checkpoint stays at " + (checkpoint == null ? "the one it had at start-up" : "resourceVersion " + checkpoint));
        });
        log.error("stopping without Kafka after kafka.shutdown-timeout ({} ms): these were not committed (or not confirmed) and not "
                + "checkpointed; a restart resumes each watch from its checkpoint and reads them again from the API server:\n  {}",
                settings.shutdownTimeout().toMillis(), String.join("\n  ", lines));
    }

    /**
     * Kafka refused a record as too large: the topic's max.message.bytes is below what the records were
     * sized for (lowered while the bridge runs, or unreadable at start). With the limits read again, the
     * retry publishes such an event as output.oversized says.
     */
    private void readTopicLimitsAgain(List<WatchBatch> round) {
        Set<String> topics = new LinkedHashSet<>();
        round.forEach(batch -> topics.add(records.topicFor(batch.target())));
        log.error("Kafka refused a record of {} as too large; reading their max.message.bytes again", topics);
        try {
            topicLimits.read(topics);
        } catch (ExecutionException e) {
            log.warn("cannot read max.message.bytes of {} ({}); retrying the round as it is", topics, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** A Kafka error that only a human can fix; the bridge stops with exit status 1. */
    public static final class FatalPublishException extends RuntimeException {
        public FatalPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
