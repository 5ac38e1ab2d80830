package io.kube2kafka.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.Chunking;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.ContractRecords;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import io.kube2kafka.watch.EventType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge end to end: simulated API server in, real Kafka broker out, read as a user would. */
@ExtendWith(KafkaBroker.class)
class BridgeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCES = "resources = [ { resource = pods }, { resource = deployments.apps }, { resource = widgets.example.com } ]";

    @AutoClose
    private final SimulatedApiServer server = BridgeHarness.hostileCluster(42);

    @Test
    void afterChurnEachCompactedTopicEqualsTheClusterAndRecordsCarryTheContractHeaders(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods", "deployments.apps", "widgets.example.com"), 1);
        churn.populate(5);
        BridgeHarness harness = new BridgeHarness(broker, server, RESOURCES);
        try (Bridge bridge = harness.startWatching()) {
            churn.churn(80);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            harness.awaitTopicMatchesCluster("deployments.apps", "apps", "deployments");
            harness.awaitTopicMatchesCluster("widgets.example.com", "example.com", "widgets");
        }

        ContractRecords.assertPodRecordsFollowTheContract(harness.read("core", "pods").records(), harness.cluster());
    }

    @Test
    void aRestartWithNothingChangedPublishesNothing(EmbeddedKafkaBroker broker) throws Exception {
        new ClusterChurn(server, List.of("pods", "deployments.apps", "widgets.example.com"), 2).populate(4);
        BridgeHarness harness = new BridgeHarness(broker, server, RESOURCES);
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            harness.awaitTopicMatchesCluster("widgets.example.com", "example.com", "widgets");
            harness.awaitTopicMatchesCluster("deployments.apps", "apps", "deployments");
        }
        int before = countAll(harness);
        try (Bridge again = harness.startWatching()) {
            // A bookmark after the resumed watch opened proves the watch is live and has had its chance to publish.
            Await.until(() -> again.watchStatuses().stream().allMatch(s -> s.events(EventType.BOOKMARK) > 0),
                    Duration.ofSeconds(30), "every resumed watch received a bookmark");
            assertTrue(again.watchStatuses().stream().allMatch(s -> s.relists() == 0), "resumed from the checkpoint, no list");
        }
        assertEquals(before, countAll(harness), "a restart with nothing changed publishes nothing");
    }

    @Test
    void aLoneEventAfterAnIdlePeriodIsPublishedWhileTheConnectionStaysOpen(EmbeddedKafkaBroker broker) throws Exception {
        server.setChunking(Chunking.oneByteAtATime());
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch.timeout = 10m");
        try (Bridge bridge = harness.startWatching()) {
            Await.until(() -> bridge.watchStatuses().get(0).events(EventType.BOOKMARK) >= 3, Duration.ofSeconds(30), "an idle watch, bookmarks only");
            long watchesBefore = bridge.watchStatuses().get(0).watchesOpened();
            String uid = server.create("pods", "default", "lonely", Map.of("app", "solo")).path("metadata").path("uid").asText();
            Await.until(() -> harness.read("core", "pods").liveResourceVersions().containsKey(uid), Duration.ofSeconds(30),
                    "the lone pod is in Kafka");
            assertEquals(watchesBefore, bridge.watchStatuses().get(0).watchesOpened(), "delivered on the open watch, not after a reconnect");
        }
    }

    @Test
    void anExpiredResourceVersionAfterAnOutageListsAndPublishesOnlyTheDifference(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 3);
        churn.populate(10);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        Map<String, String> before = harness.read("core", "pods").liveResourceVersions();
        Set<String> recordsBefore = new HashSet<>();
        harness.read("core", "pods").records().forEach(r -> recordsBefore.add(r.partition() + "@" + r.offset()));
        JsonNode deleted = churn.deleteOne().path("metadata");
        String deletedName = deleted.path("name").asText();
        String deletedUid = deleted.path("uid").asText();
        churn.churn(10);
        server.compact();

        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertEquals(1, bridge.watchStatuses().get(0).relists(), "the 410 led to exactly one list");
        }
        List<ConsumerRecord<byte[], byte[]>> added = harness.read("core", "pods").records().stream()
                .filter(r -> !recordsBefore.contains(r.partition() + "@" + r.offset())).toList();
        assertTrue(!added.isEmpty(), "the outage's changes were published");
        Map<String, String> after = harness.live("pods");
        for (ConsumerRecord<byte[], byte[]> record : added) {
            assertEquals("list", TopicContents.header(record, "kube2kafka.origin"), "records after an outage are derived from the list");
            String uid = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() != null && !"DELETED".equals(TopicContents.header(record, "k8s.type"))) {
                assertTrue(!after.get(uid).equals(before.get(uid)), "unchanged objects are not republished: " + uid);
            }
        }
        ConsumerRecord<byte[], byte[]> deletion = added.stream()
                .filter(r -> deletedUid.equals(new String(r.key(), StandardCharsets.UTF_8)) && r.value() != null).findFirst().orElseThrow();
        assertEquals("DELETED", TopicContents.header(deletion, "k8s.type"));
        assertEquals(before.get(deletedUid), TopicContents.header(deletion, "k8s.resourceVersion"), "carries the last state the topic held");
        assertEquals(deletedName, JSON.readTree(deletion.value()).path("object").path("metadata").path("name").asText());
    }

    private static int countAll(BridgeHarness harness) {
        return harness.read("core", "pods").records().size() + harness.read("apps", "deployments").records().size()
                + harness.read("example.com", "widgets").records().size();
    }
}
