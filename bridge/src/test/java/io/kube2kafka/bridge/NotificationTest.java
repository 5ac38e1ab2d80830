package io.kube2kafka.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.NotificationRecords;
import io.kube2kafka.testing.TopicContents;
import io.kube2kafka.watch.WatchStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notification topic says when and where changes were seen only as their outcome: one record per
 * completed list, read_committed, together with the list's checkpoint.
 */
@ExtendWith(KafkaBroker.class)
class NotificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @AutoClose
    private final SimulatedApiServer server = SimulatedApiServer.builder().build().start().addStandardResources();

    /**
     * Either way of listing (watch.initial-list) is notified alike, naming its method; with
     * at-least-once too, where the notification is sent once the list's records are acknowledged and
     * before its checkpoint.
     */
    @ParameterizedTest
    @CsvSource({"paginated, exactly-once", "watch-list, exactly-once", "paginated, at-least-once"})
    void aFirstStartAndARelistAfterAnOutageAreEachNotifiedWithWhatTheyFound(String initialList, String delivery, EmbeddedKafkaBroker broker)
            throws Exception {
        String method = initialList.equals("paginated") ? "paginated-list" : "watch-list";
        Map<String, String> uids = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            uids.put("p" + i, server.create("pods", "default", "p" + i, Map.of()).path("metadata").path("uid").asText());
        }
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch.idle-timeout = 1s\n watch.initial-list = "
                + initialList + "\n kafka.delivery = " + delivery);
        try (Bridge bridge = harness.startWatching()) {
            WatchStatus status = bridge.watchStatuses().get(0);
            String watch = status.target().key();
            List<JsonNode> first = awaitNotifications(broker, watch, 1);
            JsonNode start = first.get(0);
            String listedAt = server.currentResourceVersion();
            assertEquals("snapshot", start.path("type").asText(), start.toString());
            assertEquals(harness.cluster(), start.path("cluster").asText());
            assertEquals(watch, start.path("watch").asText());
            assertEquals("core/v1/pods", start.path("resource").asText());
            assertEquals("first-start", start.path("reason").asText());
            assertEquals(method, start.path("method").asText());
            assertTrue(start.has("fromResourceVersion") && start.get("fromResourceVersion").isNull(), "no resume point on a first start: " + start);
            assertEquals(listedAt, start.path("toResourceVersion").asText());
            assertEquals(List.of(0L, 0L, 6L, 0L), counts(start), start.toString());
            assertFalse(Instant.parse(start.path("completedAt").asText()).isBefore(Instant.parse(start.path("startedAt").asText())));
            assertCheckpointVisible(broker, harness, watch, listedAt);

            // An outage: the watch is unwatched while two objects are deleted, two change twice and one is
            // created; then the server forgets that history, so the watch's resume point answers 410.
            String watchedUntil = server.currentResourceVersion();
            server.silenceWatchConnections();
            server.delete("pods", "default", "p0");
            server.delete("pods", "default", "p1");
            List<String> intermediate = new ArrayList<>();
            for (String name : List.of("p2", "p3")) {
                intermediate.add(server.update("pods", "default", name, o -> o.with("metadata").with("labels").put("step", "1"))
                        .path("metadata").path("resourceVersion").asText());
                server.update("pods", "default", name, o -> o.with("metadata").with("labels").put("step", "2"));
            }
            server.create("pods", "default", "p6", Map.of());
            String relistedAt = server.currentResourceVersion();
            server.compact();

            JsonNode relist = awaitNotifications(broker, watch, 2).get(1);
            assertEquals("expired", relist.path("reason").asText(), relist.toString());
            assertEquals(method, relist.path("method").asText());
            assertEquals(watchedUntil, relist.path("fromResourceVersion").asText(), "the resume point given up");
            assertEquals(relistedAt, relist.path("toResourceVersion").asText());
            assertEquals(List.of(2L, 2L, 1L, 2L), counts(relist), "unchanged p4 p5, changed p2 p3, added p6, deleted p0 p1: " + relist);
            // Visible (read_committed) with the checkpoint of the same list: with exactly-once, written in its transaction.
            assertCheckpointVisible(broker, harness, watch, relistedAt);

            TopicContents topic = harness.read("core", "pods");
            for (String deleted : List.of("p0", "p1")) {
                assertTrue(topic.events().stream().anyMatch(r -> uids.get(deleted).equals(TopicContents.header(r, "k8s.uid"))
                        && "DELETED".equals(TopicContents.header(r, "k8s.type")) && "list".equals(TopicContents.header(r, "kube2kafka.origin"))),
                        "a derived DELETED for " + deleted);
            }
            // Downstream sees only the latest state of what changed twice: the notification is how it learns why.
            for (ConsumerRecord<byte[], byte[]> record : topic.events()) {
                assertFalse(intermediate.contains(TopicContents.header(record, "k8s.resourceVersion")), "an intermediate state was published");
            }
        }
    }

    private static List<Long> counts(JsonNode notification) {
        return List.of(notification.path("unchanged").asLong(-1), notification.path("changed").asLong(-1),
                notification.path("added").asLong(-1), notification.path("deleted").asLong(-1));
    }

    /** Waits until the default notification topic holds {@code count} notifications of the watch, and returns them in order. */
    private static List<JsonNode> awaitNotifications(EmbeddedKafkaBroker broker, String watch, int count) {
        List<JsonNode> found = new ArrayList<>();
        Await.until(() -> {
            found.clear();
            found.addAll(notifications(broker, watch));
            return found.size() >= count;
        }, Duration.ofSeconds(60), () -> count + " notification(s) of " + watch + ": " + found);
        assertEquals(count, found.size(), "one notification per list: " + found);
        return found;
    }

    static List<JsonNode> notifications(EmbeddedKafkaBroker broker, String watch) {
        return NotificationRecords.of(broker.bootstrapServers(), watch);
    }

    private static void assertCheckpointVisible(EmbeddedKafkaBroker broker, BridgeHarness harness, String watch, String resourceVersion)
            throws IOException {
        Set<String> checkpointed = new java.util.HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicContents.read(broker.bootstrapServers(), harness.cluster() + ".checkpoints").records()) {
            if (watch.equals(new String(record.key(), StandardCharsets.UTF_8)) && record.value() != null) {
                checkpointed.add(JSON.readTree(record.value()).path("resourceVersion").asText());
            }
        }
        assertTrue(checkpointed.contains(resourceVersion), "the checkpoint at " + resourceVersion + " is committed: " + checkpointed);
    }
}
