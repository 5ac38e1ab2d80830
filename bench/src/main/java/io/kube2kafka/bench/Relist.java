package io.kube2kafka.bench;

import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.KafkaSettings;
import io.kube2kafka.publish.Checkpoints;
import io.kube2kafka.publish.KafkaClients;
import io.kube2kafka.publish.RecordFactory;
import io.kube2kafka.publish.RecordPipeline;
import io.kube2kafka.publish.TopicCreator;
import io.kube2kafka.publish.TopicNames;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.ListPageParser;
import io.kube2kafka.watch.Origin;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Section "relist": the topic already holds N pods, as the bridge wrote them; during an outage 1 % of
 * them were deleted and the resume point expired. A child JVM with a small heap starts the bridge,
 * which reads the topic's index, lists and compares, and derives the deletions.
 */
final class Relist {
    /** @param output the child's report line, or why it failed */
    record Result(boolean completed, int exitCode, String output, long writeNanos, int deletions) {
    }

    /** Pods whose number ends in 42 of every 100 were deleted while unwatched: 1 %. */
    private static final int DELETED_OF_EVERY_HUNDRED = 42;

    private final String bootstrapServers;
    private final String runId;

    Relist(String bootstrapServers, String runId) {
        this.bootstrapServers = bootstrapServers;
        this.runId = runId;
    }

    Result run(int objects, String maxHeap, int pageSize) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().addStandardResources().start()) {
            BigCluster cluster = BigCluster.reserve(server, objects, pod -> pod % 100 != DELETED_OF_EVERY_HUNDRED);
            String clusterName = "relist" + runId;
            BridgeSettings settings = BridgeRun.settings(server.url(), bootstrapServers, clusterName, "watch.page-size = " + pageSize);
            long started = System.nanoTime();
            writeTopic(settings, cluster, pageSize);
            long writeNanos = System.nanoTime() - started;
            cluster.serveOn(server);
            // The outage outlasted the server's history: resuming from the checkpoint gets 410 Expired.
            server.compact();
            int deletions = objects - cluster.size();
            ChildJvm.Result child = ChildJvm.run(maxHeap, RelistChild.class, server.url().toString(), bootstrapServers, clusterName,
                    Integer.toString(objects), Integer.toString(deletions), Integer.toString(pageSize));
            return new Result(child.completed(), child.exitCode(), child.output(), writeNanos, deletions);
        }
    }

    /**
     * Every pod, as the bridge's first list would have written it: each page parsed by the bridge's own
     * ListPageParser and turned into records by its RecordFactory (same key, value and headers), sent
     * by a plain idempotent producer with the bridge's settings; then a checkpoint at the server's
     * first resourceVersion, long compacted.
     */
    private static void writeTopic(BridgeSettings settings, BigCluster cluster, int pageSize) throws Exception {
        KafkaSettings kafkaSettings = settings.kafka();
        WatchTarget target = Firehose.podsTarget(settings, Firehose.apiClient(settings));
        Map<String, Object> clientConfig = KafkaClients.clientConfig(kafkaSettings);
        TopicNames topics = new TopicNames(kafkaSettings.topicTemplate());
        new TopicCreator(clientConfig).ensure(Set.of(topics.topicFor(target)), kafkaSettings.checkpointTopic(),
                kafkaSettings.partitions(), kafkaSettings.replicationFactor(), kafkaSettings.topicConfig());
        Map<String, Object> producerConfig = new HashMap<>(KafkaClients.producerConfig(kafkaSettings, clientConfig));
        RecordFactory factory = RecordPipeline.recordFactory(settings,
                Integer.parseInt(String.valueOf(producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))));
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        ListPageParser parser = new ListPageParser();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            for (int from = 0; from < cluster.pods(); from += pageSize) {
                StringBuilder page = new StringBuilder(pageSize * 2700);
                page.append("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1000\"},\"items\":[");
                for (int pod = from; pod < Math.min(cluster.pods(), from + pageSize); pod++) {
                    if (pod > from) {
                        page.append(',');
                    }
                    cluster.appendPod(pod, page);
                }
                page.append("]}");
                for (ListPageParser.ListedObject item : parser.parse(page.toString().getBytes(StandardCharsets.UTF_8), target.resource()).items()) {
                    WatchEvent event = new WatchEvent(EventType.ADDED, Origin.LIST, item.uid(), item.namespace(), item.name(),
                            item.resourceVersion(), item.eventJson(EventType.ADDED), item.attribution());
                    factory.records(target, event).forEach(producer::send);
                }
            }
            producer.send(Checkpoints.record(kafkaSettings.checkpointTopic(), target, "1000"));
            producer.flush();
        }
    }
}
