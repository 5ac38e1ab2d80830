package io.kube2kafka.bench;

import io.kube2kafka.publish.KafkaClients;
import io.kube2kafka.config.TargetResolver;
import io.kube2kafka.bench.PodEvents.PodEvent;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.cluster.ApiClients;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.KafkaSettings;
import io.kube2kafka.publish.RecordFactory;
import io.kube2kafka.publish.RecordPipeline;
import io.kube2kafka.publish.TopicCreator;
import io.kube2kafka.publish.TopicNames;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.MalformedEventException;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchSettings;
import io.kube2kafka.watch.WatchStatus;
import io.kube2kafka.watch.Watcher;
import io.kube2kafka.watch.Origin;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchLineParser;
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
 *
 * <p>Both sides run for the whole section, one bridge watching one server and one producer, and
 * each round is a burst on them, as a deployed bridge sees bursts. A fresh bridge per round listed
 * at start; that sent Jackson's and the socket code down other paths, the JIT threw away the watch
 * path's compiled code and compiled it again inside the timed round, every round.
 */
final class Firehose implements AutoCloseable {
    /**
     * @param transactions how many transactions carried the events
     * @param handedOnNanos when the watcher had read, parsed and queued the last event (bridge only; 0 for the producer)
     * @param cpuNanos CPU time of the whole process (server, bridge or producer, and broker) during the run
     * @param cpuMillisByThread the same, by thread group ({@link ThreadCpu})
     * @param ownCpuNanos CPU time of the side's own threads: the bridge's watch, publisher and producer I/O
     *     threads, or the plain producer's calling thread and its I/O thread (the goal of issue 13 compares these)
     */
    record Result(int events, long bytes, long nanos, long transactions, long handedOnNanos, long cpuNanos,
                  Map<String, Long> cpuMillisByThread, long ownCpuNanos) {
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

    private SimulatedApiServer bridgeServer;
    private Bridge bridge;
    /** The events count the current round's last commit reaches, and when a commit reached it. */
    private final AtomicLong roundTarget = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong roundCommittedAt = new AtomicLong();

    private Bridge runningBridge() throws Exception {
        if (bridge == null) {
            bridgeServer = SimulatedApiServer.builder().build().addStandardResources().start();
            Bridge started = BridgeRun.startWatching(BridgeRun.settings(bridgeServer.url(), bootstrapServers, "fh" + runId, extraHocon));
            // Told on the publisher's thread right after each commit: the end of a round to the
            // microsecond, without polling the bridge from the timing thread.
            started.publisher().stats().addCommitListener((committed, nanos) -> {
                if (roundCommittedAt.get() == 0 && started.publisher().stats().events() >= roundTarget.get()) {
                    roundCommittedAt.set(System.nanoTime());
                }
            });
            bridge = started;
        }
        return bridge;
    }

    /** From the server queueing the first line to the bridge having committed the last event. */
    Result bridge(int count) throws Exception {
        Bridge running = runningBridge();
        long first = bridgeServer.reserveResourceVersions(count);
        List<PodEvent> events = generated(count, first);
        List<byte[]> lines = events.stream().map(PodEvent::line).toList();
        long baseTransactions = running.publisher().stats().transactions();
        WatchStatus watch = running.watchStatuses().get(0);
        long seenBefore = seen(watch);
        roundCommittedAt.set(0);
        roundTarget.set(running.publisher().stats().events() + count);
        RoundClock clock = RoundClock.settleAndStart();
        streamToTheOneWatch(bridgeServer, first, lines);
        long[] handedOn = new long[1];
        BridgeRun.await(() -> {
            if (handedOn[0] == 0 && seen(watch) - seenBefore >= count) {
                handedOn[0] = System.nanoTime() - clock.started();
            }
            return roundCommittedAt.get() != 0;
        }, 600_000, "the bridge to commit " + count + " events");
        return new Result(count, PodEvents.totalBytes(events), roundCommittedAt.get() - clock.started(),
                running.publisher().stats().transactions() - baseTransactions, handedOn[0], clock.cpuNanos(),
                clock.threads().millisSince(), clock.threads().nanosSince(Firehose::bridgeThread));
    }

    /**
     * The bridge's read side alone: the same lines from the simulated server through the real
     * {@link Watcher} (HTTP, line splitting, parsing, batching) into a sink that only counts. What
     * the bridge pays on top of Kafka, on the same cores.
     */
    Result readSideOnly(int count) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().addStandardResources().start()) {
            BridgeSettings settings = BridgeRun.settings(server.url(), bootstrapServers, "rs" + runId, extraHocon);
            ApiClient api = apiClient(settings);
            WatchTarget target = podsTarget(settings, api);
            CountingSink counting = new CountingSink();
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
                BridgeRun.await(() -> counting.handedOn() >= count, 600_000, "the watcher to hand on " + count + " events");
                long nanos = System.nanoTime() - clock.started();
                return new Result(count, PodEvents.totalBytes(events), nanos, 0, nanos, clock.cpuNanos(), clock.threads().millisSince(),
                        clock.threads().nanosSince(name -> name.equals("read-side watch")));
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

    static ApiClient apiClient(BridgeSettings settings) throws Exception {
        WatchSettings defaults = WatchSettings.defaults();
        // The client reads only the idle timeout and ping interval: the benchmark keeps its one-minute idle timeout.
        WatchSettings watch = new WatchSettings(defaults.pageSize(), defaults.timeout(), Duration.ofMinutes(1),
                defaults.backoffInitial(), defaults.backoffMax(), defaults.authorizationBackoff(), defaults.maxEventBytes(),
                defaults.tooLargeRetry(), defaults.pingInterval());
        return ApiClients.forCluster(settings.kubernetes(), watch);
    }

    /** The one watch the settings configure (pods), resolved through discovery as the bridge does. */
    static WatchTarget podsTarget(BridgeSettings settings, ApiClient api) throws Exception {
        return TargetResolver.resolve(settings, new Discovery(api)).get(0);
    }

    private static void streamToTheOneWatch(SimulatedApiServer server, long first, List<byte[]> lines) {
        if (server.streamRawLines("pods", first, lines) != 1) {
            throw new IllegalStateException("the watch is not open on the simulated server");
        }
    }

    private static final String PLAIN_TRANSACTIONAL_ID = "bench-plain-";

    /** The bridge's own threads: its watch, its publisher and its producer's I/O thread (not the server's, the broker's or the JIT's). */
    private static boolean bridgeThread(String name) {
        return name.startsWith("watch ") || name.equals("kube2kafka-publisher")
                || name.startsWith("kafka-producer-network-thread | producer-kube2kafka");
    }

    private static long seen(WatchStatus watch) {
        return watch.events(EventType.ADDED) + watch.events(EventType.MODIFIED) + watch.events(EventType.DELETED);
    }

    /**
     * The same records (key, value, headers, tombstones, topic configuration) built by the bridge's
     * own RecordFactory before the clock starts, sent by a KafkaProducer with the bridge's producer
     * settings in transactions of kafka.max-batch-events events: Kafka's own limit on this machine.
     */
    Result plainProducer(int count) throws Exception {
        return plainProducer(count, 0);
    }

    private PlainProducer producer;

    /** @param perTransaction events per transaction; 0 for kafka.max-batch-events, as the bridge at most */
    Result plainProducer(int count, int perTransaction) throws Exception {
        if (producer == null) {
            producer = new PlainProducer();
        }
        // The bridge's events if there are (their resourceVersions do not matter here): generating
        // 20,000 anew for a round takes seconds.
        List<PodEvent> events = cached.size() == count ? cached : generated(count, 1001);
        List<List<ProducerRecord<byte[], byte[]>>> records = producer.records(events);
        KafkaProducer<byte[], byte[]> kafka = producer.kafka;
        RoundClock clock = RoundClock.settleAndStart();
        int inTransaction = 0;
        long transactions = 1;
        kafka.beginTransaction();
        for (List<ProducerRecord<byte[], byte[]>> perEvent : records) {
            perEvent.forEach(kafka::send);
            if (++inTransaction == (perTransaction > 0 ? perTransaction : producer.maxBatchEvents)) {
                kafka.commitTransaction();
                kafka.beginTransaction();
                inTransaction = 0;
                transactions++;
            }
        }
        kafka.commitTransaction();
        String callingThread = Thread.currentThread().getName();
        return new Result(count, PodEvents.totalBytes(events), System.nanoTime() - clock.started(), transactions, 0, clock.cpuNanos(),
                clock.threads().millisSince(),
                clock.threads().nanosSince(name -> name.equals(callingThread) || name.equals(producer.networkThread)));
    }

    /** Kafka's own transactional producer with the bridge's settings, its topic made as the bridge makes it. */
    private final class PlainProducer {
        final KafkaProducer<byte[], byte[]> kafka;
        final int maxBatchEvents;
        final String networkThread;
        private final WatchTarget target;
        private final RecordFactory factory;

        PlainProducer() throws Exception {
            try (SimulatedApiServer server = SimulatedApiServer.builder().build().addStandardResources().start()) {
                BridgeSettings settings = BridgeRun.settings(server.url(), bootstrapServers, "pp" + runId, extraHocon);
                KafkaSettings kafkaSettings = settings.kafka();
                target = podsTarget(settings, apiClient(settings));
                Map<String, Object> clientConfig = KafkaClients.clientConfig(kafkaSettings);
                TopicNames topics = new TopicNames(kafkaSettings.topicTemplate());
                new TopicCreator(clientConfig).ensure(Set.of(topics.topicFor(target)), kafkaSettings.checkpointTopic(),
                        kafkaSettings.partitions(), kafkaSettings.replicationFactor(), kafkaSettings.topicConfig());
                Map<String, Object> producerConfig = new HashMap<>(KafkaClients.producerConfig(kafkaSettings, clientConfig));
                factory = RecordPipeline.recordFactory(settings,
                        Integer.parseInt(String.valueOf(producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))));
                maxBatchEvents = kafkaSettings.maxBatchEvents();
                producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
                producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
                String transactionalId = PLAIN_TRANSACTIONAL_ID + runId;
                producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
                // Kafka names it after the client.id, which defaults to "producer-" + the transactional.id.
                networkThread = "kafka-producer-network-thread | producer-" + transactionalId;
                kafka = new KafkaProducer<>(producerConfig);
                kafka.initTransactions();
            }
        }

        /** The bridge's own records of these events: same key, value, headers and tombstones. */
        List<List<ProducerRecord<byte[], byte[]>>> records(List<PodEvent> events) throws MalformedEventException {
            List<List<ProducerRecord<byte[], byte[]>>> records = new ArrayList<>();
            WatchLineParser parser = new WatchLineParser();
            for (PodEvent e : events) {
                // The bridge forwards the line without its newline.
                byte[] json = Arrays.copyOf(e.line(), e.line().length - 1);
                // Parsed before the clock starts, only for the attribution headers the bridge's records carry too.
                WatchEvent event = new WatchEvent(EventType.valueOf(e.type()), Origin.WATCH, e.uid(), e.namespace(), e.name(),
                        Long.toString(e.resourceVersion()), json, parser.parse(json).attribution());
                records.add(factory.records(target, event));
            }
            return records;
        }
    }

    @Override
    public void close() throws Exception {
        if (bridge != null) {
            bridge.close();
            bridgeServer.close();
        }
        if (producer != null) {
            producer.kafka.close();
        }
    }
}
