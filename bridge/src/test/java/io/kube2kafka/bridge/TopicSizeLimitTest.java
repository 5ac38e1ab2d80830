package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.publish.RecordFactory;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A topic whose max.message.bytes is below the producer's max.request.size: the broker refuses a
 * larger record, which used to fail every retry of the transaction and stall every watch. Such an
 * event follows output.oversized instead.
 */
@ExtendWith(KafkaBroker.class)
class TopicSizeLimitTest {
    private static final int TOPIC_LIMIT = 20_000;
    @AutoClose
    private final SimulatedApiServer server = BridgeHarness.hostileCluster(31);

    @Test
    void anEventOverTheTopicsMaxMessageBytesBecomesAMarkerAndTheOthersFlow(EmbeddedKafkaBroker broker) throws Exception {
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ configmaps ]");
        createTopic(broker, harness.topic("core", "configmaps"), Map.of("max.message.bytes", Integer.toString(TOPIC_LIMIT)));
        try (Bridge bridge = harness.startWatching()) {
            String uid = createTooLarge();
            server.create("configmaps", "default", "after", Map.of("a", "b"));
            // When the refused record shares a batch with others, the producer splits and resends it until
            // delivery.timeout.ms (60 s) before it reports RecordTooLargeException; only then is the limit read again.
            harness.awaitTopicMatchesCluster("configmaps", "core", "configmaps", Duration.ofMinutes(3));
            assertMarkerFor(harness, uid);
        }
    }

    @Test
    void withOversizedFailTheBridgeStopsNamingTheTopicsLimitAndCheckpointsNothingPastIt(EmbeddedKafkaBroker broker) throws Exception {
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ configmaps ]\n output.oversized = fail");
        createTopic(broker, harness.topic("core", "configmaps"), Map.of("max.message.bytes", Integer.toString(TOPIC_LIMIT)));
        String tooLargeAt;
        try (Bridge bridge = harness.startWatching()) {
            createTooLarge();
            tooLargeAt = server.currentResourceVersion();
            Throwable cause = bridge.stopped().get(60, TimeUnit.SECONDS);
            assertInstanceOf(RecordFactory.OversizedEventException.class, cause);
            assertTrue(cause.getMessage().contains("default/huge") && cause.getMessage().contains("max.message.bytes of " + TOPIC_LIMIT),
                    cause.getMessage());
        }
        assertFalse(harness.read("core", "configmaps").events().stream().anyMatch(r -> TopicContents.value(r).contains("\"blob\"")),
                "nothing too large was published");
        TopicContents checkpoints = TopicContents.read(broker.bootstrapServers(), harness.cluster() + ".checkpoints");
        for (ConsumerRecord<byte[], byte[]> checkpoint : checkpoints.records()) {
            String value = TopicContents.value(checkpoint);
            long resourceVersion = Long.parseLong(value.replaceAll(".*\"resourceVersion\":\"(\\d+)\".*", "$1"));
            assertTrue(resourceVersion < Long.parseLong(tooLargeAt), "checkpointed past the refused event: " + value);
        }
    }

    @Test
    void aLimitLoweredWhileTheBridgeRunsIsReadAgainWhenKafkaRefusesARecord(EmbeddedKafkaBroker broker) throws Exception {
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ configmaps ]");
        try (Bridge bridge = harness.startWatching()) {
            server.create("configmaps", "default", "before", Map.of("a", "b"));
            harness.awaitTopicMatchesCluster("configmaps", "core", "configmaps");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, harness.topic("core", "configmaps"));
                admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                        new ConfigEntry("max.message.bytes", Integer.toString(TOPIC_LIMIT)), AlterConfigOp.OpType.SET)))).all().get();
            }
            String uid = createTooLarge();
            server.create("configmaps", "default", "after", Map.of("a", "b"));
            // When the refused record shares a batch with others, the producer splits and resends it until
            // delivery.timeout.ms (60 s) before it reports RecordTooLargeException; only then is the limit read again.
            harness.awaitTopicMatchesCluster("configmaps", "core", "configmaps", Duration.ofMinutes(3));
            assertMarkerFor(harness, uid);
        }
    }

    /** A configmap whose data does not compress (lz4 would shrink a repeated letter below any limit). */
    private String createTooLarge() {
        String uid = server.create("configmaps", "default", "huge", Map.of("a", "b")).path("metadata").path("uid").asText();
        Random random = new Random(7);
        StringBuilder blob = new StringBuilder();
        for (int i = 0; i < 3 * TOPIC_LIMIT; i++) {
            blob.append((char) ('!' + random.nextInt(90)));
        }
        server.update("configmaps", "default", "huge", o -> o.with("data").put("blob", blob.toString()));
        return uid;
    }

    private static void assertMarkerFor(BridgeHarness harness, String uid) {
        ConsumerRecord<byte[], byte[]> marker = harness.read("core", "configmaps").events().stream()
                .filter(r -> TopicContents.header(r, "kube2kafka.oversized") != null).findFirst()
                .orElseThrow(() -> new AssertionError("no marker record"));
        assertEquals(uid, TopicContents.header(marker, "k8s.uid"));
        String value = TopicContents.value(marker);
        assertTrue(value.contains("\"oversized\":true") && value.contains("\"name\":\"huge\""), value);
    }

    private static void createTopic(EmbeddedKafkaBroker broker, String name, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(Set.of(new NewTopic(name, Optional.of(1), Optional.empty()).configs(configs))).all().get();
        }
    }
}
