package io.kube2kafka.bench;

import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.sim.SimulatedApiServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Section 2: one pod created after an idle pause, timed from the simulated server flushing the
 * event's last byte to a read_committed consumer receiving the record, many times over.
 */
final class LoneEventLatency {
    /** Latencies in nanoseconds, sorted. */
    record Result(long[] nanos) {
        double percentileMillis(double p) {
            int index = (int) Math.ceil(p / 100.0 * nanos.length) - 1;
            return nanos[Math.max(0, Math.min(nanos.length - 1, index))] / 1e6;
        }
    }

    private final String bootstrapServers;
    private final String runId;

    LoneEventLatency(String bootstrapServers, String runId) {
        this.bootstrapServers = bootstrapServers;
        this.runId = runId;
    }

    Result run(int count, int warmup, Duration idle) throws Exception {
        Map<Long, Long> flushed = new ConcurrentHashMap<>();
        Map<Long, Long> visible = new ConcurrentHashMap<>();
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().addStandardResources().start()) {
            server.onEventFlushed(flushed::put);
            String cluster = "lat" + runId;
            BridgeSettings settings = BridgeRun.settings(server.url(), bootstrapServers, cluster, "");
            Bridge bridge = BridgeRun.startWatching(settings);
            String topic = "k8s." + cluster + ".core.pods";
            AtomicBoolean stop = new AtomicBoolean();
            Thread consumer = new Thread(() -> consume(topic, visible, stop), "bench-latency-consumer");
            try {
                consumer.start();
                // Let the consumer reach the end of the (empty) topic before the first event.
                Thread.sleep(2000);
                long[] latencies = new long[count];
                for (int i = 0; i < warmup + count; i++) {
                    Thread.sleep(idle.toMillis());
                    long rv = Long.parseLong(server.create("pods", "bench", "lone-" + i,
                            Map.of("app", "lone", "seq", Integer.toString(i))).path("metadata").path("resourceVersion").asText());
                    BridgeRun.await(() -> visible.containsKey(rv) && flushed.containsKey(rv), 30_000,
                            "the lone event " + rv + " to be visible");
                    if (i >= warmup) {
                        latencies[i - warmup] = visible.get(rv) - flushed.get(rv);
                    }
                }
                java.util.Arrays.sort(latencies);
                return new Result(latencies);
            } finally {
                stop.set(true);
                consumer.join();
                bridge.close();
            }
        }
    }

    private void consume(String topic, Map<Long, Long> visible, AtomicBoolean stop) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    Header rv = record.headers().lastHeader(io.kube2kafka.publish.HeaderNames.RESOURCE_VERSION);
                    if (record.value() != null && rv != null) {
                        visible.putIfAbsent(Long.parseLong(new String(rv.value(), StandardCharsets.UTF_8)), now);
                    }
                }
            }
        }
    }
}
