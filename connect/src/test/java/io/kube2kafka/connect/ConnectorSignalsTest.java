package io.kube2kafka.connect;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.NotificationRecords;
import io.kube2kafka.testing.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Connect task writes the bridge's notifications and honours its signals, through a real distributed worker. */
@ExtendWith(KafkaBroker.class)
class ConnectorSignalsTest {
    @AutoClose
    private final SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300))
            .build().start().addStandardResources();

    @Test
    void aResnapshotSignalRepublishesEveryPodAndIsAnsweredByANotification(EmbeddedKafkaBroker broker) throws Exception {
        for (int i = 0; i < 4; i++) {
            server.create("pods", "default", "p" + i, Map.of());
        }
        BridgeHarness harness = new BridgeHarness(broker, server, "");
        String watch = harness.cluster() + "/core/pods";
        Map<String, String> config = ConnectorConfigs.quick("kube", 1, harness, server, broker);
        config.put("exactly.once.support", "required");
        config.put("resources", "pods");
        try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), harness.cluster() + ".connect")) {
            worker.createConnector("kube", config, 1);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            Await.until(() -> notifications(broker, watch).size() == 1, Duration.ofSeconds(60),
                    () -> "the first list's notification: " + notifications(broker, watch));
            assertEquals("first-start", notifications(broker, watch).get(0).path("reason").asText());

            // The task reads the signal topic from its end once it runs, which the test cannot observe from outside;
            // so the signal is written again every 5 s until answered (a second resnapshot changes nothing asserted).
            long[] lastWrite = {0};
            Await.until(() -> {
                if (System.nanoTime() - lastWrite[0] > 5_000_000_000L) {
                    writeSignal(broker, "{\"type\":\"resnapshot\",\"watch\":\"" + watch + "\"}");
                    lastWrite[0] = System.nanoTime();
                }
                return notifications(broker, watch).stream().anyMatch(n -> "signal".equals(n.path("reason").asText()));
            }, Duration.ofSeconds(90), () -> "a notification of reason signal: " + notifications(broker, watch));
            Map<String, String> snapshot = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : harness.read("core", "pods").events()) {
                if ("snapshot".equals(TopicContents.header(record, "kube2kafka.origin"))) {
                    snapshot.put(TopicContents.header(record, "k8s.uid"), TopicContents.header(record, "k8s.resourceVersion"));
                }
            }
            assertEquals(harness.live("pods"), snapshot, "every live pod again, with origin snapshot");

            // The task now reads signals (it answered one): a signal naming a watch the connector does not run is answered.
            String unknown = harness.cluster() + "/core/secrets";
            writeSignal(broker, "{\"type\":\"reconcile\",\"watch\":\"" + unknown + "\"}");
            Await.until(() -> notifications(broker, unknown).size() == 1, Duration.ofSeconds(30),
                    () -> "an answer naming the unknown watch " + unknown);
            JsonNode answer = notifications(broker, unknown).get(0);
            assertEquals("unknown-watch", answer.path("type").asText(), answer.toString());
            assertEquals(unknown, answer.path("watch").asText(), answer.toString());
        }
    }

    private static void writeSignal(EmbeddedKafkaBroker broker, String signal) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>("kube2kafka.signals", signal.getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the signal " + signal, e);
        }
    }

    static List<JsonNode> notifications(EmbeddedKafkaBroker broker, String watch) {
        return NotificationRecords.of(broker.bootstrapServers(), watch);
    }
}
