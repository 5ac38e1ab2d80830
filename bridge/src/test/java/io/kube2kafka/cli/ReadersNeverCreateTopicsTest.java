package io.kube2kafka.cli;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.publish.TopicReader;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading a topic never creates it, on a broker that auto-creates topics as Apache Kafka does by
 * default. The shared test broker has auto-creation off, so it could not show the difference; this
 * class runs its own.
 */
class ReadersNeverCreateTopicsTest {
    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startAutoCreatingBroker() throws Exception {
        broker = new EmbeddedKafkaBroker(dataDir, 0, Map.of("auto.create.topics.enable", "true")).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void theBrokerAutoCreatesForAConsumerWithKafkasDefaults() {
        autoCreate(missingTopic());
    }

    @Test
    void theTopicIndexReaderTakesAMissingTopicAsEmptyAndLeavesItMissing() {
        String topic = missingTopic();
        TopicReader reader = new TopicReader(Map.of("bootstrap.servers", broker.bootstrapServers()));
        List<Object> records = new ArrayList<>();
        reader.readAll(topic, records::add);
        assertEquals(List.of(), records);
        assertFalse(reader.exists(topic));
        assertStillMissing(topic);
    }

    @Test
    void checkpointsAndTailSayTheTopicDoesNotExistAndLeaveItMissing(@TempDir Path dir) throws Exception {
        String checkpointTopic = missingTopic();
        String objectTopic = missingTopic();
        File config = BridgeProcess.config(dir, "kube2kafka { kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n"
                + " kafka.checkpoint-topic = " + checkpointTopic + " }");
        try (BridgeProcess checkpoints = BridgeProcess.start(dir, "checkpoints", "--config", config.getPath())) {
            assertNotEquals(0, checkpoints.waitFor(), checkpoints.log());
            assertTrue(checkpoints.log().contains("topic " + checkpointTopic + " does not exist"), checkpoints.log());
        }
        try (BridgeProcess tail = BridgeProcess.start(dir, "tail", objectTopic, "--config", config.getPath())) {
            assertNotEquals(0, tail.waitFor(), tail.log());
            assertTrue(tail.log().contains("topic " + objectTopic + " does not exist"), tail.log());
        }
        assertStillMissing(checkpointTopic);
        assertStillMissing(objectTopic);
    }

    /** What every reader did before: asks for a topic's partitions with Kafka's default settings, and the broker creates it. */
    private static void autoCreate(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.partitionsFor(topic, Duration.ofSeconds(60));
        }
        Await.until(() -> topics().contains(topic), Duration.ofSeconds(30), "the broker auto-created " + topic);
    }

    /**
     * Auto-creation goes through the controller one request after another, so once a topic
     * auto-created after the reads exists, any topic a read had asked for would exist too.
     */
    private static void assertStillMissing(String topic) {
        autoCreate(missingTopic());
        assertFalse(topics().contains(topic), "reading created " + topic);
    }

    private static String missingTopic() {
        return "missing." + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Set<String> topics() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new AssertionError("cannot list the topics", e);
        }
    }
}
