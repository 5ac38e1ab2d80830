package io.kube2kafka.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.Chunking;
import io.kube2kafka.sim.ClusterBackup;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiException;
import io.kube2kafka.watch.ClusterConnection;
import io.kube2kafka.watch.ListCause;
import io.kube2kafka.watch.WatchStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, items 3 and 4: a checkpoint ahead of the API server ("Too large resource version") and a
 * name that comes to point at another cluster. The bridge is stopped while the cluster is restored or
 * rebuilt, as an operator would do it, and restarted against it.
 */
@ExtendWith(KafkaBroker.class)
class RestoredClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The server's wait for a version it has not reached; the real 3 s would only slow the tests down. */
    private static final Duration SERVER_WAIT = Duration.ofMillis(200);

    @AutoClose
    private final SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300))
            .chunking(Chunking.randomSplits(15)).tooLargeResourceVersionWait(SERVER_WAIT).build().start().addStandardResources();

    @Test
    void aClusterRestoredFromAnEarlierBackupIsListedAndComparedAndNothingOfTheLostHistoryRemains(EmbeddedKafkaBroker broker) throws Exception {
        for (String name : List.of("a", "b", "c")) {
            server.create("pods", "default", name, Map.of("app", "web"));
        }
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch.too-large-retry = 1s");
        String lostD;
        String lostE;
        ClusterBackup backup;
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            backup = server.backup();
            // The history the restore will lose: b deleted, d and e created, a changed.
            server.delete("pods", "default", "b");
            lostD = uid(server.create("pods", "default", "d", Map.of("app", "web")));
            lostE = uid(server.create("pods", "default", "e", Map.of("app", "web")));
            server.update("pods", "default", "a", pod -> pod.with("metadata").with("labels").put("lost", "yes"));
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        String checkpoint = checkpoint(broker, harness).path("resourceVersion").asText();

        server.restore(backup);
        // Changes after the restore reuse versions the lost history had already used, but fewer of them:
        // the checkpoint stays ahead of the server.
        server.create("pods", "default", "f", Map.of("app", "web"));
        server.update("pods", "default", "c", pod -> pod.with("metadata").with("labels").put("after", "restore"));
        assertTrue(Long.parseLong(server.currentResourceVersion()) < Long.parseLong(checkpoint),
                server.currentResourceVersion() + " < checkpoint " + checkpoint);

        try (Bridge bridge = harness.start()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            Map<String, String> live = harness.read("core", "pods").liveResourceVersions();
            assertFalse(live.containsKey(lostD) || live.containsKey(lostE), "objects of the lost history are gone: " + live);
            assertTrue(server.tooLargeAnswers().stream().anyMatch(answer -> !answer.inWatch() && answer.requested() == Long.parseLong(checkpoint)),
                    "the server refused a list at the checkpoint with 504: " + server.tooLargeAnswers());
            assertFalse(server.requests().stream().anyMatch(r -> r.isWatch() && checkpoint.equals(r.query().get("resourceVersion"))),
                    "no watch from the checkpoint, which the server would have accepted and kept silent");
            assertEquals(1, bridge.watchStatuses().get(0).relists(), "one list and comparison instead of resuming");
            WatchStatus restored = bridge.watchStatuses().get(0);
            assertEquals(1L, restored.listsByCause().get(ListCause.TOO_LARGE_RESOURCE_VERSION), "listed because of the restore");
            assertEquals(0L, restored.listsByCause().get(ListCause.EXPIRED), "a restore is no 410: " + restored.listsByCause());
            assertFalse(restored.errors().containsKey("410"), "no 410 was answered: " + restored.errors());

            server.create("pods", "default", "g", Map.of("app", "web"));
            server.update("pods", "default", "f", pod -> pod.with("metadata").with("labels").put("flows", "yes"));
            server.delete("pods", "default", "a");
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
    }

    @Test
    void aLaggingApiServerThatCatchesUpWithinTheRetryWindowIsWaitedForWithoutAList(EmbeddedKafkaBroker broker) throws Exception {
        for (String name : List.of("a", "b")) {
            server.create("pods", "default", name, Map.of("app", "web"));
        }
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch.too-large-retry = 120s");
        String lagging;
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            lagging = server.currentResourceVersion();
            server.update("pods", "default", "a", pod -> pod.with("metadata").with("labels").put("seen", "by-a-fresh-server"));
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        // Behind a load balancer, the restarted bridge reaches an API server whose watch cache is behind its checkpoint.
        server.lagBehind(lagging);
        server.clearRequests();
        try (Bridge bridge = harness.start()) {
            Await.until(() -> server.tooLargeAnswers().size() >= 2, Duration.ofSeconds(60),
                    "the bridge retried the refused version: " + server.tooLargeAnswers());
            server.catchUp();
            server.create("pods", "default", "c", Map.of("app", "web"));
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            WatchStatus status = bridge.watchStatuses().get(0);
            assertEquals(0, status.relists(), "the watch resumed where it stopped");
            assertEquals(List.of(), server.requests().stream().filter(r -> r.path().endsWith("/pods") && r.isConsistentList()).toList(),
                    "no list and comparison (a consistent read): the lag was waited out");
        }
    }

    @Test
    void aListAtAVersionTheServerHasNotReachedIsRefusedWith504AndTheCauseTheBridgeRecognises() throws Exception {
        server.create("pods", "default", "a", Map.of());
        ApiClient api = new ApiClient(ClusterConnection.plain(server.url().toString(), null), Duration.ofSeconds(30));
        long current = Long.parseLong(server.currentResourceVersion());
        ApiException refused = assertThrows(ApiException.class,
                () -> api.get("/api/v1/pods", Map.of("resourceVersion", Long.toString(current + 5), "limit", "10")));
        assertEquals(504, refused.code());
        assertEquals("Timeout", refused.reason());
        assertTrue(refused.isResourceVersionTooLarge(), refused.getMessage());
        assertTrue(refused.getMessage().contains("Too large resource version: " + (current + 5) + ", current: " + current), refused.getMessage());
        assertEquals(Duration.ofSeconds(1), refused.retryAfter());
        assertFalse(server.tooLargeAnswers().get(0).inWatch());
        // A consistent list (no resourceVersion) is always served.
        assertTrue(new String(api.get("/api/v1/pods", Map.of("limit", "10")), StandardCharsets.UTF_8).contains("\"name\":\"a\""));
        assertFalse(new ApiException(504, "Timeout", "request timed out", null).isResourceVersionTooLarge(), "not every timeout");
    }

    @Test
    void aClusterRestoredWhileTheBridgeRunsIsFoundWhenTheWatchReconnects(EmbeddedKafkaBroker broker) throws Exception {
        for (String name : List.of("a", "b")) {
            server.create("pods", "default", name, Map.of("app", "web"));
        }
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch.too-large-retry = 1s");
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            ClusterBackup backup = server.backup();
            String lost = uid(server.create("pods", "default", "lost", Map.of("app", "web")));
            for (int i = 0; i < 5; i++) {
                server.update("pods", "default", "a", pod -> pod.with("metadata").with("labels").put("lost", "yes"));
            }
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            String watchedUpTo = server.currentResourceVersion();

            // etcd restored under the running bridge: the API server drops its watches, and the bridge reconnects
            // from a version the restored cluster has not reached.
            server.restore(backup);
            server.create("pods", "default", "after", Map.of("app", "web"));
            assertTrue(Long.parseLong(server.currentResourceVersion()) < Long.parseLong(watchedUpTo));

            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertFalse(harness.read("core", "pods").liveResourceVersions().containsKey(lost), "the lost object is deleted");
            assertEquals(1L, bridge.watchStatuses().get(0).listsByCause().get(ListCause.TOO_LARGE_RESOURCE_VERSION), "listed because of the restore");
        }
    }

    @Test
    void aPlainWatchFromAVersionTheServerHasNotReachedIsAcceptedAndSilentUntilTheCounterPassesIt() throws Exception {
        server.create("pods", "default", "a", Map.of());
        ApiClient api = new ApiClient(ClusterConnection.plain(server.url().toString(), null), Duration.ofSeconds(30));
        long ahead = Long.parseLong(server.currentResourceVersion()) + 3;
        try (ApiClient.WatchStream watch = api.watch("/api/v1/pods", Map.of("watch", "true", "resourceVersion", Long.toString(ahead),
                "allowWatchBookmarks", "true"))) {
            for (int i = 0; i < 4; i++) {
                server.create("pods", "default", "n" + i, Map.of());
            }
            String first = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8)).readLine();
            JsonNode event = JSON.readTree(first);
            assertEquals("ADDED", event.path("type").asText(), first);
            assertEquals(Long.toString(ahead + 1), event.path("object").path("metadata").path("resourceVersion").asText(),
                    "every event up to the version asked for was dropped, without an error: " + first);
        }
        assertEquals(List.of(), server.tooLargeAnswers(), "the watch was not refused");
    }

    @Test
    void aClusterRebuiltUnderTheSameNameIsListedAndComparedAndItsRecordsCarryTheNewIdentity(EmbeddedKafkaBroker broker) throws Exception {
        for (int i = 0; i < 4; i++) {
            server.create("pods", "default", "old-" + i, Map.of("app", "web"));
        }
        String oldUid = server.clusterUid();
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertEquals(Set.of(oldUid), clusterUids(harness.read("core", "pods").records()), "every record names the cluster");
        }
        assertEquals(oldUid, checkpoint(broker, harness).path("clusterUid").asText(), "the checkpoint holds the cluster's identity");
        String checkpoint = checkpoint(broker, harness).path("resourceVersion").asText();

        server.rebuild();
        assertNotEquals(oldUid, server.clusterUid());
        // The new cluster's versions start again and overtake the checkpoint: the server would accept a resumed
        // watch, which would then miss every object created before the checkpoint's version.
        for (int i = 0; i < 8; i++) {
            server.create("pods", "default", "new-" + i, Map.of("app", "api"));
        }
        assertTrue(Long.parseLong(server.currentResourceVersion()) > Long.parseLong(checkpoint));
        server.clearRequests();

        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertTrue(server.requests().stream().anyMatch(r -> r.path().equals("/api/v1/pods") && (r.isPaginatedList() || r.isWatchList())),
                    "listed and compared");
            assertFalse(server.requests().stream().anyMatch(r -> r.isWatch() && checkpoint.equals(r.query().get("resourceVersion"))),
                    "never resumed from the other cluster's checkpoint");
            server.create("pods", "default", "newer", Map.of("app", "api"));
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        Set<String> newObjects = harness.live("pods").keySet();
        List<ConsumerRecord<byte[], byte[]>> ofNewObjects = harness.read("core", "pods").records().stream()
                .filter(r -> newObjects.contains(new String(r.key(), StandardCharsets.UTF_8))).toList();
        assertEquals(9, newObjects.size());
        assertEquals(Set.of(server.clusterUid()), clusterUids(ofNewObjects), "records of the new cluster carry its identity");
        assertEquals(server.clusterUid(), checkpoint(broker, harness).path("clusterUid").asText());
    }

    @Test
    void withoutPermissionToReadKubeSystemRecordsCarryNoIdentityAndStreamingGoesOn(EmbeddedKafkaBroker broker) throws Exception {
        server.forbid("namespaces");
        server.create("pods", "default", "a", Map.of());
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
        try (Bridge bridge = harness.startWatching()) {
            server.create("pods", "default", "b", Map.of());
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        assertTrue(harness.read("core", "pods").records().stream().allMatch(r -> TopicContents.header(r, "k8s.cluster.uid") == null));
        assertTrue(checkpoint(broker, harness).path("clusterUid").isMissingNode());
    }

    private static Set<String> clusterUids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> String.valueOf(TopicContents.header(r, "k8s.cluster.uid"))).collect(Collectors.toSet());
    }

    private static JsonNode checkpoint(EmbeddedKafkaBroker broker, BridgeHarness harness) throws IOException {
        List<ConsumerRecord<byte[], byte[]>> records = TopicContents.read(broker.bootstrapServers(), harness.cluster() + ".checkpoints").records();
        assertFalse(records.isEmpty(), "a checkpoint was committed");
        ConsumerRecord<byte[], byte[]> last = records.get(records.size() - 1);
        return JSON.readTree(last.value());
    }

    private static String uid(JsonNode object) {
        return object.path("metadata").path("uid").asText();
    }
}
