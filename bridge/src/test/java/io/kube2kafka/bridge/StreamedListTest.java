package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.RecordedRequest;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import io.kube2kafka.watch.WatchStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lists streamed as a watch (WatchList, watch.initial-list) through the real broker: the topic equals
 * the cluster, a relist derives what a paginated one derives, a server that refuses WatchList is listed
 * page by page, and a stream that ends before its annotated bookmark is never taken for a list.
 */
@ExtendWith(KafkaBroker.class)
class StreamedListTest {
    @AutoClose
    private final SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300))
            .build().start().addStandardResources();

    @Test
    void theFirstStartStreamsItsListAndGoesOnWatchingOnTheSameStream(EmbeddedKafkaBroker broker) throws Exception {
        new ClusterChurn(server, List.of("pods"), 41).populate(12);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch.timeout = 5m");
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            server.create("pods", "default", "later", Map.of("app", "web"));
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            List<RecordedRequest> pods = podRequests();
            assertEquals(1, pods.size(), "one request listed and watched: " + pods);
            assertTrue(pods.get(0).isWatchList(), "a WatchList request: " + pods.get(0).query());
            assertEquals("NotOlderThan", pods.get(0).query().get("resourceVersionMatch"));
            assertFalse(pods.get(0).query().containsKey("resourceVersion"), "a consistent read: no resourceVersion");
            assertEquals("watch", origin(harness, "later"), "a change after the list is an ordinary watch event");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "paginated"})
    void aRelistAfterA410DerivesTheSameDeletionsWhicheverWayItLists(String mode, EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 42);
        churn.populate(10);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch.initial-list = " + mode);
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        Map<String, String> before = harness.read("core", "pods").liveResourceVersions();
        String deletedUid = churn.deleteOne().path("metadata").path("uid").asText();
        churn.churn(10);
        server.compact();
        server.clearRequests();

        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertEquals(1, bridge.watchStatuses().get(0).relists(), "the 410 led to exactly one list");
        }
        List<ConsumerRecord<byte[], byte[]>> deletions = harness.read("core", "pods").records().stream()
                .filter(r -> deletedUid.equals(new String(r.key(), StandardCharsets.UTF_8)) && r.value() != null
                        && "DELETED".equals(TopicContents.header(r, "k8s.type")))
                .toList();
        assertEquals(1, deletions.size(), "the object deleted while unwatched got one derived deletion");
        assertEquals("list", TopicContents.header(deletions.get(0), "kube2kafka.origin"));
        assertEquals(before.get(deletedUid), TopicContents.header(deletions.get(0), "k8s.resourceVersion"), "its last state in the topic");
        List<RecordedRequest> pods = podRequests();
        if (mode.equals("paginated")) {
            assertTrue(pods.stream().noneMatch(r -> r.query().containsKey("sendInitialEvents")), "paginated never streams: " + pods);
            assertTrue(pods.stream().anyMatch(RecordedRequest::isConsistentList));
        } else {
            assertTrue(pods.stream().noneMatch(RecordedRequest::isConsistentList), "auto streams the relist: " + pods);
            assertTrue(pods.stream().anyMatch(RecordedRequest::isWatchList));
        }
    }

    @Test
    void autoListsPageByPageOnceTheServerRefusesWatchListAndRemembersIt(EmbeddedKafkaBroker broker) throws Exception {
        new ClusterChurn(server, List.of("pods"), 43).populate(8);
        server.setWatchList(false);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            WatchStatus status = bridge.watchStatuses().get(0);
            server.delete("pods", "default", server.liveObjects("pods").get(0).path("metadata").path("name").asText());
            server.injectExpiredError();
            Await.until(() -> status.relists() == 1 && status.state() == WatchStatus.State.WATCHING, Duration.ofSeconds(60),
                    "the watch lists again after the 410: " + status.describe());
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            List<RecordedRequest> pods = podRequests();
            assertEquals(1, pods.stream().filter(RecordedRequest::isWatchList).count(), "refused once, never asked again: " + pods);
            assertEquals(2, pods.stream().filter(RecordedRequest::isConsistentList).count(), "the first list and the relist, page by page");
        }
    }

    @Test
    void watchListNeverFallsBackAndSaysWhichKeyToChange(EmbeddedKafkaBroker broker) throws Exception {
        new ClusterChurn(server, List.of("pods"), 44).populate(4);
        server.setWatchList(false);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch.initial-list = watch-list");
        try (Bridge bridge = harness.start()) {
            WatchStatus status = bridge.watchStatuses().get(0);
            Await.until(() -> podRequests().stream().filter(RecordedRequest::isWatchList).count() >= 2, Duration.ofSeconds(60),
                    "the refused WatchList is retried with backoff");
            String error = String.valueOf(status.lastError());
            assertTrue(error.contains("watch.initial-list=watch-list"), "the failure names the key: " + error);
            assertTrue(podRequests().stream().noneMatch(RecordedRequest::isPaginatedList), "never a paginated list");
            server.setWatchList(true);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
    }

    @Test
    void aStreamEndedBeforeItsBookmarkDerivesNothingAndTheNextRoundListsAgain(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 45);
        churn.populate(10);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        String deletedUid = churn.deleteOne().path("metadata").path("uid").asText();
        server.compact();
        server.clearRequests();
        // The relist's first stream ends after 3 of its 9 objects: taken for a list, it would delete the other 6.
        server.endWatchListsBeforeBookmark(1, 3);

        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            WatchStatus status = bridge.watchStatuses().get(0);
            assertEquals(1, status.incompleteStreamedLists(), "the stream cut short was counted");
            List<RecordedRequest> pods = podRequests();
            int first = pods.indexOf(pods.stream().filter(RecordedRequest::isWatchList).findFirst().orElseThrow());
            assertTrue(pods.size() > first + 1 && pods.get(first + 1).isWatchList(),
                    "after the incomplete list the watch lists again, never resuming from it: " + pods);
        }
        Set<String> live = harness.live("pods").keySet();
        Set<String> deleted = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : harness.read("core", "pods").records()) {
            if (record.value() != null && "DELETED".equals(TopicContents.header(record, "k8s.type"))) {
                deleted.add(new String(record.key(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(Set.of(deletedUid), deleted, "only the object really deleted got a DELETED; none of the live " + live.size());
    }

    private List<RecordedRequest> podRequests() {
        return server.requests().stream().filter(r -> r.path().equals("/api/v1/pods")).toList();
    }

    private static String origin(BridgeHarness harness, String name) {
        return harness.read("core", "pods").records().stream()
                .filter(r -> r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains("\"name\":\"" + name + "\""))
                .map(r -> TopicContents.header(r, "kube2kafka.origin")).reduce((a, b) -> b).orElse("none");
    }
}
