package io.kube2kafka.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.cli.Main;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signals through the real broker: written by {@code ./kube2kafka signal} (or any producer), acted on by
 * the bridge that streams the watch, each answered on the notification topic.
 */
@ExtendWith(KafkaBroker.class)
class SignalTest {
    /** The contract's bound; the bridge acts within 10 s, the rest is this machine's load. */
    private static final Duration ANSWERED = Duration.ofSeconds(30);
    @AutoClose
    private final SimulatedApiServer server = SimulatedApiServer.builder().build().start().addStandardResources();

    @Test
    void reconcileResnapshotEveryWatchAndUnknownWatchesAreEachAnswered(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            server.create("pods", "default", "p" + i, Map.of());
            server.create("configmaps", "default", "c" + i, Map.of());
        }
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods, configmaps ]");
        Path config = dir.resolve("kube2kafka.conf");
        Files.writeString(config, "kube2kafka {\n cluster = " + harness.cluster() + "\n kubernetes.url = \"" + server.url() + "\"\n"
                + " kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n resources = [ pods, configmaps ]\n}\n");
        String pods = harness.cluster() + "/core/pods";
        String configmaps = harness.cluster() + "/core/configmaps";
        try (Bridge bridge = harness.startWatching()) {
            awaitNotifications(broker, pods, 1);
            awaitNotifications(broker, configmaps, 1);
            Await.until(bridge::listeningForSignals, Duration.ofSeconds(60), "the bridge reads the signal topic");
            int podRecords = harness.read("core", "pods").events().size();

            // A change the watch does not see (its connection went quiet); reconcile, by the command line, finds it.
            server.silenceWatchConnections();
            String changed = server.update("pods", "default", "p1", o -> o.with("metadata").with("labels").put("unseen", "yes"))
                    .path("metadata").path("resourceVersion").asText();
            assertEquals(0, Main.commandLine().execute("signal", "reconcile", pods, "--config", config.toString()));
            JsonNode reconcile = awaitNotifications(broker, pods, 2).get(1);
            assertEquals("signal", reconcile.path("reason").asText(), reconcile.toString());
            assertEquals(List.of(harness.live("pods").size() - 1L, 1L, 0L, 0L), counts(reconcile), reconcile.toString());
            List<ConsumerRecord<byte[], byte[]>> afterReconcile = harness.read("core", "pods").events();
            assertEquals(podRecords + 1, afterReconcile.size(), "reconcile publishes only the difference");
            assertEquals(1, afterReconcile.stream().filter(r -> changed.equals(TopicContents.header(r, "k8s.resourceVersion"))
                    && "list".equals(TopicContents.header(r, "kube2kafka.origin"))).count(), "the change, found by the list");
            assertEquals(1, NotificationTest.notifications(broker, configmaps).size(), "a signal for pods lists only pods");

            // Resnapshot of every watch: each republishes every live object, with origin snapshot.
            write(broker, "{\"type\":\"resnapshot\",\"watch\":\"*\"}");
            for (String[] watch : new String[][] {{pods, "pods", "3"}, {configmaps, "configmaps", "2"}}) {
                JsonNode resnapshot = awaitNotifications(broker, watch[0], Integer.parseInt(watch[2])).get(Integer.parseInt(watch[2]) - 1);
                assertEquals("signal", resnapshot.path("reason").asText(), resnapshot.toString());
                Map<String, String> snapshot = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : harness.read("core", watch[1]).events()) {
                    if ("snapshot".equals(TopicContents.header(record, "kube2kafka.origin"))) {
                        snapshot.put(TopicContents.header(record, "k8s.uid"), TopicContents.header(record, "k8s.resourceVersion"));
                    }
                }
                assertEquals(harness.live(watch[1]), snapshot, "every live " + watch[1] + " again, with origin snapshot");
            }

            // A watch of this cluster that the bridge does not have, and a request it cannot read: both answered.
            String unknown = harness.cluster() + "/core/secrets";
            write(broker, "{\"type\":\"reconcile\",\"watch\":\"" + unknown + "\"}");
            JsonNode answer = awaitNotifications(broker, unknown, 1).get(0);
            assertEquals("unknown-watch", answer.path("type").asText(), answer.toString());
            assertEquals(unknown, answer.path("watch").asText());
            write(broker, "{\"type\":\"refresh\",\"watch\":\"" + pods + "\"}");
            Await.until(() -> NotificationTest.notifications(broker, pods).stream().anyMatch(n -> "malformed-signal".equals(n.path("type").asText())
                    && n.path("problem").asText().contains("reconcile")), ANSWERED, "a malformed signal is answered, saying what is wrong");
        }
    }

    private static void write(EmbeddedKafkaBroker broker, String signal) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>("kube2kafka.signals", signal.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static List<Long> counts(JsonNode notification) {
        return List.of(notification.path("unchanged").asLong(-1), notification.path("changed").asLong(-1),
                notification.path("added").asLong(-1), notification.path("deleted").asLong(-1));
    }

    private static List<JsonNode> awaitNotifications(EmbeddedKafkaBroker broker, String watch, int count) {
        Await.until(() -> NotificationTest.notifications(broker, watch).size() >= count, ANSWERED,
                () -> count + " notification(s) of " + watch + ": " + NotificationTest.notifications(broker, watch));
        List<JsonNode> found = NotificationTest.notifications(broker, watch);
        assertEquals(count, found.size(), "one notification per list: " + found);
        return found;
    }
}
