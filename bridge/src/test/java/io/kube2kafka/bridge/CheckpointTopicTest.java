package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeProcess;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the bridge finds in its checkpoint topic that it did not write itself. */
@ExtendWith(KafkaBroker.class)
class CheckpointTopicTest {

    @Test
    void aRecordWithoutAKeyIsSkippedWithAWarningAndTheWatchesResume(@TempDir Path dir, EmbeddedKafkaBroker broker) throws Exception {
        String cluster = "nokey" + UUID.randomUUID().toString().substring(0, 6);
        String checkpointTopic = cluster + ".checkpoints";
        String topic = "k8s." + cluster + ".core.pods";
        // Only a topic created without compaction takes a keyless record: a user made it, or another tool.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(Set.of(new NewTopic(checkpointTopic, Optional.of(1), Optional.empty())
                    .configs(Map.of("cleanup.policy", "delete")))).all().get();
        }
        try (SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500)).build().start()) {
            server.addStandardResources();
            ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 8);
            churn.populate(5);
            File config = BridgeProcess.config(dir, "kube2kafka { cluster = " + cluster + "\n kubernetes.url = \"" + server.url() + "\"\n"
                    + " kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n kafka.checkpoint-topic = " + checkpointTopic + "\n"
                    + " http.port = -1\n resources = [ pods ] }");
            try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                awaitTopicMatches(broker, server, topic, bridge);
                Await.until(() -> bridge.log().contains("streaming 1 watch"), Duration.ofSeconds(60), "the bridge started; log:\n" + bridge.log());
                assertEquals(0, bridge.terminate(), bridge.log());
            }
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "key.serializer", ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class))) {
                producer.send(new ProducerRecord<>(checkpointTopic, null, "{\"note\":\"not a checkpoint\"}".getBytes(StandardCharsets.UTF_8))).get();
            }
            churn.churn(10);
            try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                awaitTopicMatches(broker, server, topic, bridge);
                String log = bridge.log();
                assertTrue(log.contains("skipping a record without a key in " + checkpointTopic), log);
                assertTrue(log.contains("resuming the watch at resourceVersion"), "the pods watch resumed from its checkpoint:\n" + log);
                Await.until(() -> bridge.log().contains("streaming 1 watch"), Duration.ofSeconds(60), "the bridge started; log:\n" + bridge.log());
                assertEquals(0, bridge.terminate(), bridge.log());
            }
        }
    }

    private static void awaitTopicMatches(EmbeddedKafkaBroker broker, SimulatedApiServer server, String topic, BridgeProcess bridge) {
        Map<String, String> live = new LinkedHashMap<>();
        server.liveObjects("pods").forEach(o -> live.put(o.path("metadata").path("uid").asText(), o.path("metadata").path("resourceVersion").asText()));
        Await.until(() -> TopicContents.read(broker.bootstrapServers(), topic).liveResourceVersions().equals(live),
                Duration.ofSeconds(90), "the topic equals the cluster; log:\n" + bridge.log());
    }
}
