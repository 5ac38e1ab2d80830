package io.kube2kafka.publish;

import io.kube2kafka.watch.Backoff;
import io.kube2kafka.watch.Watcher;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reads the signal topic on a thread of its own and hands each request to the watches it names
 * ({@link Watcher#requestList}); the list that follows ends with a notification of reason
 * {@code signal}, written by whoever publishes the watch's batches.
 *
 * <p>Every partition is assigned and read from its end as it is at start-up, without a consumer group:
 * a signal is a request to act now, not history to replay, so a restarted bridge must not redo the
 * resnapshots of last week; and every instance must see every signal, since only the instance that
 * streams a watch can act on it, which a group would prevent by sharing the partitions out.
 *
 * <p>Which instance answers a signal it cannot act on: a signal naming a watch of one of
 * {@code ownClusters} that this instance does not have is answered {@code unknown-watch} on the
 * notification topic (instances streaming the same cluster run the same configuration, so none of them
 * has it). A watch of another cluster is left to the instance streaming that cluster. A malformed
 * signal is logged and answered {@code malformed-signal} when it names a watch of
 * {@code ownClusters}, "*", or nothing readable (then by every instance that reads it).
 */
public final class SignalListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalListener.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How long an answer may take to be acknowledged before it is reported lost. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> clientConfig;
    private final String signalTopic;
    private final String notificationTopic;
    private final Set<String> ownClusters;
    private final Supplier<List<Watcher>> watchers;
    private final Predicate<String> streamedElsewhere;
    private final Thread thread;
    private volatile boolean closed;
    /** Ends a pause at once on close(); no interrupt, which would fail the consumer's own close. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean listening;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> answers; // listener thread only

    /**
     * @param ownClusters the clusters whose unknown watches this instance answers; empty to answer none
     * @param watchers the watches running now (they may come and go)
     */
    public SignalListener(Map<String, Object> clientConfig, String signalTopic, String notificationTopic, Set<String> ownClusters,
                          Supplier<List<Watcher>> watchers) {
        this(clientConfig, signalTopic, notificationTopic, ownClusters, watchers, watch -> false);
    }

    /**
     * @param streamedElsewhere true for a watch of {@code ownClusters} that runs elsewhere (another task of the same
     *     Kafka Connect connector), which is therefore not answered unknown-watch here
     */
    public SignalListener(Map<String, Object> clientConfig, String signalTopic, String notificationTopic, Set<String> ownClusters,
                          Supplier<List<Watcher>> watchers, Predicate<String> streamedElsewhere) {
        this.streamedElsewhere = streamedElsewhere;
        this.clientConfig = Map.copyOf(clientConfig);
        this.signalTopic = signalTopic;
        this.notificationTopic = notificationTopic;
        this.ownClusters = Set.copyOf(ownClusters);
        this.watchers = watchers;
        this.thread = new Thread(this::run, "kube2kafka-signals");
        this.thread.setDaemon(true);
    }

    public SignalListener start() {
        thread.start();
        return this;
    }

    /** True once the listener reads from the end of the signal topic: a signal written from now on is acted on. */
    public boolean listening() {
        return listening;
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        while (!closed) {
            try (KafkaConsumer<byte[], byte[]> opened = new KafkaConsumer<>(ReadCommittedConsumer.config(clientConfig))) {
                consumer = opened;
                if (closed || !assignAtEnd(opened, backoff)) {
                    break;
                }
                listening = true;
                while (!closed) {
                    for (ConsumerRecord<byte[], byte[]> record : opened.poll(POLL)) {
                        handle(record);
                    }
                    backoff.reset();
                }
            } catch (WakeupException | InterruptException e) {
                if (!closed) {
                    log.error("reading signals from {} was interrupted; reading again from its end", signalTopic, e);
                }
            } catch (KafkaException e) {
                // Signals written meanwhile are missed (the topic is read from its end again): logged, never silent.
                listening = false;
                Duration pause = backoff.nextDelay();
                log.error("cannot read signals from {} ({}); signals written until it works again are missed; retrying in {} ms",
                        signalTopic, e.getMessage(), pause.toMillis(), e);
                if (!sleep(pause)) {
                    break;
                }
            } finally {
                consumer = null;
            }
        }
        listening = false;
        if (answers != null) {
            answers.close(Duration.ofSeconds(5));
        }
    }

    /** @return false when closed while the topic does not exist yet */
    private boolean assignAtEnd(KafkaConsumer<byte[], byte[]> opened, Backoff backoff) {
        while (!closed) {
            List<PartitionInfo> partitions = opened.partitionsFor(signalTopic, Duration.ofSeconds(30));
            if (partitions != null && !partitions.isEmpty()) {
                List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(signalTopic, p.partition())).toList();
                opened.assign(assigned);
                opened.seekToEnd(assigned);
                // seekToEnd is lazy: asking the position now fixes it, so a signal written after listening() is not skipped.
                assigned.forEach(opened::position);
                log.info("reading signals from {} ({} partition(s)), from its end", signalTopic, assigned.size());
                return true;
            }
            Duration pause = backoff.nextDelay();
            log.warn("signal topic {} does not exist; signals are not read until it is created (checking again in {} ms)",
                    signalTopic, pause.toMillis());
            if (!sleep(pause)) {
                return false;
            }
        }
        return false;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        Signal signal;
        try {
            signal = Signal.parse(record.value());
        } catch (Signal.MalformedSignalException e) {
            String text = record.value() == null ? null : excerpt(record.value());
            log.warn("ignoring a malformed signal at {}-{} offset {}: {}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage(), text);
            if (e.watch() == null || Signal.EVERY_WATCH.equals(e.watch()) || ownClusters.contains(Signal.clusterOf(e.watch()))) {
                answer(e.watch(), Notifications.malformedSignal(e.watch(), e.getMessage(), text, Instant.now()));
            }
            return;
        }
        List<Watcher> named = watchers.get().stream()
                .filter(w -> signal.everyWatch() || w.target().key().equals(signal.watch())).toList();
        if (!named.isEmpty()) {
            log.info("signal {} for {}: listing {} watch(es)", signal.type().label(), signal.watch(), named.size());
            named.forEach(w -> w.requestList(signal.type() == Signal.Type.RESNAPSHOT));
        } else if (signal.everyWatch()) {
            log.warn("signal {} for every watch: this instance has no watch running yet; nothing to list", signal.type().label());
        } else if (ownClusters.contains(signal.cluster()) && !streamedElsewhere.test(signal.watch())) {
            log.warn("signal {} names watch {}, which this instance does not have (its watches of cluster {}: {}); answering unknown-watch",
                    signal.type().label(), signal.watch(), signal.cluster(),
                    watchers.get().stream().map(w -> w.target().key()).filter(k -> k.startsWith(signal.cluster() + "/")).toList());
            answer(signal.watch(), Notifications.unknownWatch(signal.watch(), new String(signal.toJson(), StandardCharsets.UTF_8), Instant.now()));
        } else {
            log.info("signal {} names watch {} of cluster {}, which this instance does not stream; left to the instance that does",
                    signal.type().label(), signal.watch(), signal.cluster());
        }
    }

    /** Writes an answer to the notification topic; one that Kafka does not acknowledge is logged as lost. */
    private void answer(String watch, byte[] value) {
        try {
            producer().send(new ProducerRecord<>(notificationTopic, watch == null ? null : watch.getBytes(StandardCharsets.UTF_8), value))
                    .get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("interrupted before the answer to a signal for {} was acknowledged: {}", watch, new String(value, StandardCharsets.UTF_8));
        } catch (Exception e) {
            log.error("the answer to a signal for {} was not written to {} ({}): {}", watch, notificationTopic, e.getMessage(),
                    new String(value, StandardCharsets.UTF_8));
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (answers == null) {
            Map<String, Object> config = new HashMap<>(clientConfig);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            answers = new KafkaProducer<>(config);
        }
        return answers;
    }

    /** @return false when closed meanwhile */
    private boolean sleep(Duration pause) {
        try {
            return !closing.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // Nothing interrupts this thread on purpose; stop reading rather than spin.
            log.error("the signal listener was interrupted; signals are no longer read");
            return false;
        }
    }

    private static String excerpt(byte[] value) {
        String text = new String(value, 0, Math.min(value.length, 200), StandardCharsets.UTF_8);
        return value.length > 200 ? text + "... (" + value.length + " bytes)" : text;
    }

    /** Stops reading; a signal being handled is finished first. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        closing.countDown();
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
