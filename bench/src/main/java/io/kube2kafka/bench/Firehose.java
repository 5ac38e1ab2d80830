package io.kube2kafka.bench;

import io.kube2kafka.bench.PodEvents.PodEvent;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.cluster.ConnectionResolver;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.KafkaSettings;
import io.kube2kafka.publish.RecordFactory;
import io.kube2kafka.publish.TopicCreator;
import io.kube2kafka.publish.TopicNames;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.transform.ObjectTransform;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.KnownObjects;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchSink;
import io.kube2kafka.watch.WatchStatus;
import io.kube2kafka.watch.Watcher;
import io.kube2kafka.watch.Origin;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Section 1: N distinct pod events streamed by the simulated server through the real bridge
 * (exactly-once) into the broker, beside Kafka's own transactional producer sending the same
 * records with the same settings.
 */
final class Firehose {
    /** @param transactions how many transactions carried the events */
    /** @param handedOnNanos when the watcher had read, parsed and queued the last event (bridge only; 0 for the producer) */
    /** @param cpuNanos CPU time of the whole process (server, bridge or producer, and broker) during the run */
    record Result(int events, long bytes, long nanos, long transactions, long handedOnNanos, long cpuNanos,
                  Map<String, Long> cpuMillisByThread) {
        double eventsPerSecond() {
            return events / (nanos / 1e9);
        }

        double megabytesPerSecond() {
            return bytes / 1e6 / (nanos / 1e9);
        }
    }

    private List<PodEvent> cached = List.of();
    private long cachedFirst;

    /** Generating 20,000 events takes seconds, so every run of one size sends the same, cached ones. */
    private List<PodEvent> generated(int count, long first) {
        if (cached.size() != count || cachedFirst != first) {
            cached = PodEvents.generate(count, first, 42);
            cachedFirst = first;
        }
        return cached;
    }

    private final String bootstrapServers;
    private final String runId;

    /** Extra configuration for both sides, e.g. the producer's compression.type. */
    private final String extraHocon;

    Firehose(String bootstrapServers, String runId, String extraHocon) {
        this.bootstrapServers = bootstrapServers;
        this.runId = runId;
        this.extraHocon = extraHocon;
    }

    /** From the server queueing the first line to the bridge having committed the last event. */
    Result bridge(int count, String label) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().addStandardResources().start()) {
            BridgeSettings settings = BridgeRun.settings(server.url(), bootstrapServers, "fh" + runId + label, extraHocon);
            Bridge bridge = BridgeRun.startWatching(settings);
            try {
                long first = server.reserveResourceVersions(count);
                List<PodEvent> events = generated(count, first);
                List<byte[]> lines = events.stream().map(PodEvent::line).toList();
                long base = bridge.publisher().stats().events();
                long baseTransactions = bridge.publisher().stats().transactions();
                // Told on the publisher's thread right after each commit: the end of the round to the
                // microsecond, without polling the bridge from this thread while it is timed.
                AtomicLong committedAt = new AtomicLong();
                bridge.publisher().stats().addCommitListener((committed, nanos) -> {
                    if (committedAt.get() == 0 && bridge.publisher().stats().events() - base >= count) {
                        committedAt.set(System.nanoTime());
                    }
                });
                io.kube2kafka.watch.WatchStatus watch = bridge.watchStatuses().get(0);
                RoundClock clock = RoundClock.settleAndStart();
                long started = clock.started();
                streamToTheOneWatch(server, first, lines);
                // A fresh bridge and server per run: every event its watch has seen is one of these.
                long[] handedOn = new long[1];
                BridgeRun.await(() -> {
                    if (handedOn[0] == 0 && seen(watch) >= count) {
                        handedOn[0] = System.nanoTime() - started;
                    }
                    return committedAt.get() != 0;
                }, 600_000, "the bridge to commit " + count + " events");
                return new Result(count, PodEvents.totalBytes(events), committedAt.get() - started,
                        bridge.publisher().stats().transactions() - baseTransactions, handedOn[0], clock.cpuNanos(),
                        clock.threads().millisSince());
            } finally {
                bridge.close();
            }
        }
    }

    /**
     * The bridge's read side alone: the same lines from the simulated server through the real
     * {@link Watcher} (HTTP, line splitting, parsing, batching) into a sink that only counts. What
     * the bridge pays on top of Kafka, on the same cores.
     */
    Result readSideOnly(int count) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().addStandardResources().start()) {
            BridgeSettings settings = BridgeRun.settings(server.url(), bootstrapServers, "rs" + runId, extraHocon);
            ApiClient api = new ApiClient(new ConnectionResolver().resolve(settings.kubernetes()), Duration.ofMinutes(1));
            WatchTarget target = Bridge.resolveTargets(settings, new Discovery(api)).get(0);
            AtomicLong handedOn = new AtomicLong();
            WatchSink counting = new WatchSink() {
                @Override
                public void accept(WatchBatch batch) {
                    handedOn.addAndGet(batch.events().size());
                }

                @Override
                public KnownObjects knownObjects(WatchTarget t) {
                    throw new IllegalStateException("the watch resumes; it never lists");
                }
            };
            Watcher watcher = new Watcher(target, api, counting, settings.watch(), server.currentResourceVersion(), Pauser.REAL);
            Thread thread = new Thread(watcher, "read-side watch");
            thread.start();
            try {
                BridgeRun.await(() -> watcher.status().state() == WatchStatus.State.WATCHING, 60_000, "the watch to open");
                long first = server.reserveResourceVersions(count);
                List<PodEvent> events = generated(count, first);
                List<byte[]> lines = events.stream().map(PodEvent::line).toList();
                RoundClock clock = RoundClock.settleAndStart();
                streamToTheOneWatch(server, first, lines);
                BridgeRun.await(() -> handedOn.get() >= count, 600_000, "the watcher to hand on " + count + " events");
                long nanos = System.nanoTime() - clock.started();
                return new Result(count, PodEvents.totalBytes(events), nanos, 0, nanos, clock.cpuNanos(), clock.threads().millisSince());
            } finally {
                watcher.stop();
                thread.interrupt();
                thread.join();
            }
        }
    }

    /** The clocks of one timed round, started once the JVM has settled (garbage collected, no compile queued). */
    private record RoundClock(long started, long cpuAtStart, ThreadCpu threads) {
        static RoundClock settleAndStart() throws InterruptedException {
            System.gc();
            JitQuiet.await();
            return new RoundClock(System.nanoTime(), ProcessCpu.nanos(), new ThreadCpu());
        }

        long cpuNanos() {
            return ProcessCpu.nanos() - cpuAtStart;
        }
    }

    private static void streamToTheOneWatch(SimulatedApiServer server, long first, List<byte[]> lines) {
        if (server.streamRawLines("pods", first, lines) != 1) {
            throw new IllegalStateException("the watch is not open on the simulated server");
        }
    }

    private static long seen(io.kube2kafka.watch.WatchStatus watch) {
        return watch.events(EventType.ADDED) + watch.events(EventType.MODIFIED) + watch.events(EventType.DELETED);
    }

    /**
     * The same records (key, value, headers, tombstones, topic configuration) built by the bridge's
     * own RecordFactory before the clock starts, sent by a KafkaProducer with the bridge's producer
     * settings in transactions of kafka.max-batch-events events: Kafka's own limit on this machine.
     */
    Result plainProducer(int count, String label) throws Exception {
        return plainProducer(count, label, 0);
    }

    /** @param perTransaction events per transaction; 0 for kafka.max-batch-events, as the bridge at most */
    Result plainProducer(int count, String label, int perTransaction) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().addStandardResources().start()) {
            BridgeSettings settings = BridgeRun.settings(server.url(), bootstrapServers, "pp" + runId + label, extraHocon);
            KafkaSettings kafka = settings.kafka();
            ApiClient api = new ApiClient(new ConnectionResolver().resolve(settings.kubernetes()), Duration.ofMinutes(1));
            WatchTarget target = Bridge.resolveTargets(settings, new Discovery(api)).get(0);
            Map<String, Object> clientConfig = Bridge.clientConfig(kafka);
            TopicNames topics = new TopicNames(kafka.topicTemplate());
            new TopicCreator(clientConfig).ensure(Set.of(topics.topicFor(target)), kafka.checkpointTopic(), kafka.partitions(),
                    kafka.replicationFactor(), kafka.topicConfig());
            Map<String, Object> producerConfig = new HashMap<>(Bridge.producerConfig(kafka, clientConfig));
            RecordFactory factory = new RecordFactory(topics,
                    new ObjectTransform(settings.output().redactSecrets(), settings.output().dropManagedFields()),
                    settings.output().tombstones(), Integer.parseInt(String.valueOf(producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))),
                    settings.output().failOnOversized());
            // The bridge's events if there are (their resourceVersions do not matter here): generating
            // 20,000 anew for every alternating round took seconds and kept the JIT busy.
            List<PodEvent> events = cached.size() == count ? cached : generated(count, 1001);
            List<List<ProducerRecord<byte[], byte[]>>> records = new ArrayList<>();
            for (PodEvent e : events) {
                // The bridge forwards the line without its newline.
                byte[] json = Arrays.copyOf(e.line(), e.line().length - 1);
                WatchEvent event = new WatchEvent(EventType.valueOf(e.type()), Origin.WATCH, e.uid(), e.namespace(), e.name(),
                        Long.toString(e.resourceVersion()), json);
                records.add(factory.records(target, event));
            }
            producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-plain-" + runId + label);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
                producer.initTransactions();
                RoundClock clock = RoundClock.settleAndStart();
                int inTransaction = 0;
                long transactions = 1;
                producer.beginTransaction();
                for (List<ProducerRecord<byte[], byte[]>> perEvent : records) {
                    perEvent.forEach(producer::send);
                    if (++inTransaction == (perTransaction > 0 ? perTransaction : kafka.maxBatchEvents())) {
                        producer.commitTransaction();
                        producer.beginTransaction();
                        inTransaction = 0;
                        transactions++;
                    }
                }
                producer.commitTransaction();
                return new Result(count, PodEvents.totalBytes(events), System.nanoTime() - clock.started(), transactions, 0, clock.cpuNanos(),
                        clock.threads().millisSince());
            }
        }
    }
}
