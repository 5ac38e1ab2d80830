package io.kube2kafka.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.Chunking;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.ContractRecords;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.ManualClock;
import io.kube2kafka.testing.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who changed it: every record names the field manager of the change, its operation and time
 * (k8s.manager, k8s.operation, k8s.changed-at), through the real broker, read as an auditor would.
 */
@ExtendWith(KafkaBroker.class)
class AttributionEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The API server's times are whole seconds: each write below gets a second of its own. */
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T10:00:00Z"));
    private SimulatedApiServer server;

    @BeforeEach
    void startCluster() {
        server = SimulatedApiServer.builder().clock(clock).bookmarkInterval(Duration.ofMillis(300))
                .chunking(Chunking.randomSplits(12)).build().start();
        server.addStandardResources();
    }

    @AfterEach
    void stopCluster() {
        server.close();
    }

    @Test
    void eachRecordNamesTheManagerOperationAndTimeOfItsChange(EmbeddedKafkaBroker broker) throws Exception {
        String edited = uid(server.create("pods", "shop", "web-1", Map.of("app", "web")));
        String relisted = uid(server.create("pods", "shop", "web-2", Map.of("app", "web")));
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
        try (Bridge bridge = harness.startWatching()) {
            second();
            server.update("pods", "shop", "web-1", "kubectl", "Apply", p -> p.with("metadata").with("labels").put("tier", "front"));
            second();
            server.update("pods", "shop", "web-1", "kubectl-edit", "Update", p -> p.with("metadata").with("annotations").put("note", "x"));
            second();
            server.delete("pods", "shop", "web-1");
            second();
            server.update("pods", "shop", "web-2", "helm", "Update", p -> p.with("metadata").with("labels").put("release", "2"));
            awaitRecords(harness, relisted, 2);
        }
        // Deleted while the bridge is away, with the history compacted: the list finds it gone.
        server.delete("pods", "shop", "web-2");
        server.compact();
        try (Bridge bridge = harness.startWatching()) {
            awaitRecords(harness, relisted, 4);
        }

        assertEquals(List.of(
                "ADDED list kubectl-client-side-apply Update 2026-11-30T10:00:00Z",
                "MODIFIED watch kubectl Apply 2026-11-30T10:00:01Z",
                "MODIFIED watch kubectl-edit Update 2026-11-30T10:00:02Z",
                // A DELETED carries the last state: it names the last writer, not who deleted (Kubernetes does not say).
                "DELETED watch kubectl-edit Update 2026-11-30T10:00:02Z",
                "tombstone watch kubectl-edit Update 2026-11-30T10:00:02Z"), describe(harness, edited));
        assertEquals(List.of(
                "ADDED list kubectl-client-side-apply Update 2026-11-30T10:00:00Z",
                "MODIFIED watch helm Update 2026-11-30T10:00:04Z",
                "DELETED list helm Update 2026-11-30T10:00:04Z",
                "tombstone list helm Update 2026-11-30T10:00:04Z"), describe(harness, relisted));
        for (ConsumerRecord<byte[], byte[]> record : harness.read("core", "pods").events()) {
            ContractRecords.assertAttributionMatches(record, object(record).path("metadata"));
        }
    }

    @Test
    void theHeadersSurviveDroppingManagedFields(EmbeddedKafkaBroker broker) throws Exception {
        String uid = uid(server.create("pods", "shop", "web-1", Map.of("app", "web")));
        second();
        server.update("pods", "shop", "web-1", "argocd-controller", "Apply", p -> p.with("metadata").with("labels").put("tier", "front"));
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n output.drop-managed-fields = true");
        try (Bridge bridge = harness.startWatching()) {
            awaitRecords(harness, uid, 1);
            second();
            server.update("pods", "shop", "web-1", "kubectl-edit", "Update", p -> p.with("metadata").with("labels").put("tier", "back"));
            awaitRecords(harness, uid, 2);
        }

        assertEquals(List.of("ADDED list argocd-controller Apply 2026-11-30T10:00:01Z",
                "MODIFIED watch kubectl-edit Update 2026-11-30T10:00:02Z"), describe(harness, uid));
        for (ConsumerRecord<byte[], byte[]> record : harness.read("core", "pods").events()) {
            JsonNode metadata = object(record).path("metadata");
            assertFalse(metadata.has("managedFields"), "output.drop-managed-fields removed them from the value: " + metadata);
            assertTrue(metadata.has("labels"), "and nothing else");
        }
    }

    private void second() {
        clock.advance(Duration.ofSeconds(1));
    }

    private static String uid(JsonNode object) {
        return object.path("metadata").path("uid").asText();
    }

    private static List<ConsumerRecord<byte[], byte[]>> recordsOf(BridgeHarness harness, String uid) {
        return harness.read("core", "pods").records().stream()
                .filter(r -> uid.equals(new String(r.key(), StandardCharsets.UTF_8))).toList();
    }

    private static void awaitRecords(BridgeHarness harness, String uid, int count) {
        Await.until(() -> recordsOf(harness, uid).size() >= count, Duration.ofSeconds(60), count + " records of " + uid + " in Kafka");
    }

    /** Each record of the object as "TYPE origin manager operation changed-at", as an auditor reads them. */
    private static List<String> describe(BridgeHarness harness, String uid) {
        return recordsOf(harness, uid).stream().map(r -> (r.value() == null ? "tombstone" : TopicContents.header(r, "k8s.type"))
                + " " + TopicContents.header(r, "kube2kafka.origin") + " " + TopicContents.header(r, "k8s.manager")
                + " " + TopicContents.header(r, "k8s.operation") + " " + TopicContents.header(r, "k8s.changed-at")).toList();
    }

    private static JsonNode object(ConsumerRecord<byte[], byte[]> record) throws IOException {
        return JSON.readTree(record.value()).path("object");
    }
}
