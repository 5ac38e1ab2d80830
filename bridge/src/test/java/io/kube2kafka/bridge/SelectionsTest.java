package io.kube2kafka.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.BridgeProcess;
import io.kube2kafka.testing.ResponseHoldingRelay;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import io.kube2kafka.watch.WatchStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Selector watches, as a real API server feeds them: an object whose labels stop matching arrives as
 * DELETED (kube-apiserver's cache watcher), one that starts matching as ADDED. Through the real broker,
 * read as a user would: headers, and the compacted view of the topic.
 */
@ExtendWith(KafkaBroker.class)
class SelectionsTest {
    private static final String NAMESPACE = "default";
    private static final String REASON = "kube2kafka.reason";

    @AutoClose
    private final SimulatedApiServer server = BridgeHarness.hostileCluster(7);

    @Test
    void anObjectLeavingTheSelectionSaysSoAndTheTopicHoldsExactlyTheSelection(EmbeddedKafkaBroker broker) throws Exception {
        String leaves = uid(server.create("pods", NAMESPACE, "leaves", Map.of("app", "a")));
        String deleted = uid(server.create("pods", NAMESPACE, "deleted", Map.of("app", "a")));
        server.create("pods", NAMESPACE, "stays", Map.of("app", "a"));
        server.create("pods", NAMESPACE, "other", Map.of("app", "b"));
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ { resource = pods, label-selector = \"app=a\" } ]");
        try (Bridge bridge = harness.startWatching()) {
            awaitTopicHoldsSelection(harness, Set.of("a"));
            label("leaves", "b");
            server.delete("pods", NAMESPACE, "deleted");
            awaitTopicHoldsSelection(harness, Set.of("a"));
        }

        List<ConsumerRecord<byte[], byte[]>> records = harness.read("core", "pods").records();
        List<ConsumerRecord<byte[], byte[]>> ofLeaves = recordsOf(records, leaves);
        ConsumerRecord<byte[], byte[]> left = ofLeaves.get(ofLeaves.size() - 2);
        assertEquals("DELETED", TopicContents.header(left, "k8s.type"));
        assertEquals("left-selection", TopicContents.header(left, REASON), "the DELETED of an object that left the selection says so");
        assertNull(ofLeaves.get(ofLeaves.size() - 1).value(), "no other watch selects it: a tombstone follows");

        List<ConsumerRecord<byte[], byte[]>> ofDeleted = recordsOf(records, deleted);
        ConsumerRecord<byte[], byte[]> deletion = ofDeleted.get(ofDeleted.size() - 2);
        assertEquals("DELETED", TopicContents.header(deletion, "k8s.type"));
        assertNull(TopicContents.header(deletion, REASON), "a real deletion carries no reason");
        assertNull(ofDeleted.get(ofDeleted.size() - 1).value(), "a deletion is followed by a tombstone");
    }

    /**
     * Two watches write one topic. The relay holds back one watch's stream while the other learns
     * of a move, so each order of arrival happens on purpose; without the fix, the watch the object
     * left writes its tombstone after the other watch's ADDED and wipes a live object.
     */
    @Test
    void anObjectMovingBetweenTwoWatchesOfOneTopicStaysWhicheverWatchLearnsFirst(EmbeddedKafkaBroker broker) throws Exception {
        String first = uid(server.create("pods", NAMESPACE, "first", Map.of("app", "a")));
        String second = uid(server.create("pods", NAMESPACE, "second", Map.of("app", "a")));
        server.create("pods", NAMESPACE, "resident", Map.of("app", "b"));
        try (ResponseHoldingRelay relay = new ResponseHoldingRelay(server.url())) {
            BridgeHarness harness = twoWatches(broker, relay);
            try (Bridge bridge = harness.startWatching()) {
                awaitTopicHoldsSelection(harness, Set.of("a", "b"));
                String watchA = harness.cluster() + "/core/pods?labelSelector=app=a";
                String watchB = harness.cluster() + "/core/pods?labelSelector=app=b";

                // The watch the object joins learns first: its ADDED is in the topic before the other's DELETED.
                relay.freeze(watchOf("app=a"));
                label("first", "b");
                Await.until(() -> lastRecordOf(harness, first, watchB, "ADDED"), Duration.ofSeconds(30), "watch app=b published first's ADDED");
                relay.thaw();
                Await.until(() -> hasRecord(harness, first, watchA, "DELETED"), Duration.ofSeconds(30),
                        "watch app=a published first's DELETED, after watch app=b's ADDED");
                assertEquals(selection(Set.of("a", "b")), harness.read("core", "pods").liveResourceVersions(),
                        "an object that moved to the other watch of the topic is still in the compacted topic");
                assertLeftSelectionRecorded(harness, first, watchA);

                // The watch the object leaves learns first: its DELETED is in the topic before the other's ADDED.
                relay.freeze(watchOf("app=b"));
                label("second", "b");
                Await.until(() -> hasRecord(harness, second, watchA, "DELETED"), Duration.ofSeconds(30), "watch app=a published second's DELETED");
                assertEquals(selection(Set.of("a", "b")), harness.read("core", "pods").liveResourceVersions(),
                        "the other watch of the topic already selects it: its state follows the DELETED, not a tombstone");
                relay.thaw();
                awaitTopicHoldsSelection(harness, Set.of("a", "b"));

                // Back, and out of both selections.
                relay.freeze(watchOf("app=b"));
                label("first", "a");
                Await.until(() -> lastRecordOf(harness, first, watchA, "ADDED"), Duration.ofSeconds(30), "watch app=a published first's ADDED");
                relay.thaw();
                label("second", "neither");
                awaitTopicHoldsSelection(harness, Set.of("a", "b"));
            }
        }
    }

    /** Many moves back and forth, in and out, with either watch held back at times: the union of the selections, exactly. */
    @Test
    void underChurnATopicOfTwoWatchesHoldsExactlyTheUnionOfTheirSelections(EmbeddedKafkaBroker broker) throws Exception {
        Random random = new Random(14);
        List<String> names = new ArrayList<>();
        String[] apps = {"a", "b", "c"};
        for (int i = 0; i < 8; i++) {
            names.add("pod-" + i);
            server.create("pods", NAMESPACE, "pod-" + i, Map.of("app", apps[i % 2]));
        }
        try (ResponseHoldingRelay relay = new ResponseHoldingRelay(server.url())) {
            BridgeHarness harness = twoWatches(broker, relay);
            try (Bridge bridge = harness.startWatching()) {
                awaitTopicHoldsSelection(harness, Set.of("a", "b"));
                for (int round = 0; round < 12; round++) {
                    // Alternate which watch is held back, so moves are seen in both orders over the rounds. The
                    // last round holds one back too: a wiped object is not rescued by a later move.
                    String held = round % 3 == 1 ? null : round % 2 == 0 ? "app=a" : "app=b";
                    if (held != null) {
                        relay.freeze(watchOf(held));
                    }
                    for (int move = 0; move < 5; move++) {
                        String name = names.get(random.nextInt(names.size()));
                        if (random.nextInt(10) == 0) {
                            server.delete("pods", NAMESPACE, name);
                            server.create("pods", NAMESPACE, name, Map.of("app", apps[random.nextInt(2)]));
                        } else {
                            label(name, random.nextInt(6) == 0 ? "c" : apps[random.nextInt(2)]);
                        }
                    }
                    if (held != null) {
                        awaitWatchCaughtUp(bridge, held.equals("app=a") ? "app=b" : "app=a");
                        relay.thaw();
                    }
                }
                awaitTopicHoldsSelection(harness, Set.of("a", "b"));
            }
        }
    }

    /** A relist finds what left the selections while the bridge was away; its derived DELETEDs are judged the same way. */
    @Test
    void aRelistTellsObjectsThatLeftTheSelectionFromDeletedOnes(EmbeddedKafkaBroker broker) throws Exception {
        String moved = uid(server.create("pods", NAMESPACE, "moved", Map.of("app", "a")));
        String dropped = uid(server.create("pods", NAMESPACE, "dropped", Map.of("app", "a")));
        String deleted = uid(server.create("pods", NAMESPACE, "deleted", Map.of("app", "a")));
        server.create("pods", NAMESPACE, "resident", Map.of("app", "b"));
        BridgeHarness harness = new BridgeHarness(broker, server,
                "resources = [ { resource = pods, label-selector = \"app=a\" }, { resource = pods, label-selector = \"app=b\" } ]");
        try (Bridge bridge = harness.startWatching()) {
            awaitTopicHoldsSelection(harness, Set.of("a", "b"));
        }
        label("moved", "b");
        label("dropped", "c");
        server.delete("pods", NAMESPACE, "deleted");
        server.compact();
        try (Bridge bridge = harness.startWatching()) {
            awaitTopicHoldsSelection(harness, Set.of("a", "b"));
            assertTrue(bridge.watchStatuses().stream().allMatch(s -> s.relists() == 1), "both watches listed again after the 410");
        }
        String watchA = harness.cluster() + "/core/pods?labelSelector=app=a";
        List<ConsumerRecord<byte[], byte[]>> events = harness.read("core", "pods").events();
        for (String uid : List.of(moved, dropped)) {
            ConsumerRecord<byte[], byte[]> derived = recordsOf(events, uid).stream()
                    .filter(r -> "DELETED".equals(TopicContents.header(r, "k8s.type"))).findFirst().orElseThrow();
            assertEquals(watchA, TopicContents.header(derived, "kube2kafka.watch"));
            assertEquals("list", TopicContents.header(derived, "kube2kafka.origin"));
            assertEquals("left-selection", TopicContents.header(derived, REASON), "a derived DELETED of an object that left the selection says so");
        }
        ConsumerRecord<byte[], byte[]> deletion = recordsOf(events, deleted).stream()
                .filter(r -> "DELETED".equals(TopicContents.header(r, "k8s.type"))).findFirst().orElseThrow();
        assertNull(TopicContents.header(deletion, REASON), "a derived DELETED of a deleted object carries no reason");
    }

    @Test
    void identicalOrAliasedWatchesAreAConfigurationErrorNamingBothEntries(EmbeddedKafkaBroker broker) throws Exception {
        BridgeHarness aliases = new BridgeHarness(broker, server, """
                resources = [ { resource = pods }, { resource = deployments.apps }, { resource = po } ]""");
        ConfigurationException alias = assertThrows(ConfigurationException.class, aliases::start);
        assertTrue(alias.getMessage().contains("resources[2] (po) and resources[0] (pods) are the same watch"), alias.getMessage());

        BridgeHarness same = new BridgeHarness(broker, server, """
                resources = [
                  { resource = pods, namespaces = [ a, b, a ] }
                  { resource = "pods.v1", label-selector = "app=web,tier=db" }
                  { resource = pods, label-selector = "tier=db, app=web" }
                ]""");
        ConfigurationException problems = assertThrows(ConfigurationException.class, same::start);
        assertTrue(problems.getMessage().contains("resources[0] (pods) lists namespace a twice"), problems.getMessage());
        assertTrue(problems.getMessage().contains("resources[2] (pods) and resources[1] (pods.v1) are the same watch"), problems.getMessage());

        BridgeHarness overlapping = new BridgeHarness(broker, server, """
                resources = [ { resource = pods }, { resource = pods, label-selector = "app=web" }, { resource = pods, namespaces = [ a ] } ]""");
        overlapping.startWatching().close();
    }

    @Test
    void anAliasedWatchExitsTwo(@TempDir Path dir, EmbeddedKafkaBroker broker) throws Exception {
        File config = BridgeProcess.config(dir, "kube2kafka { kubernetes.url = \"" + server.url() + "\"\n kafka.bootstrap-servers = \""
                + broker.bootstrapServers() + "\"\n http.port = -1\n resources = [ pods, po ] }");
        try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
            assertEquals(2, bridge.waitFor(), bridge.log());
            assertTrue(bridge.log().contains("resources[1] (po) and resources[0] (pods) are the same watch"), bridge.log());
        }
    }

    private BridgeHarness twoWatches(EmbeddedKafkaBroker broker, ResponseHoldingRelay relay) {
        return new BridgeHarness(broker, server, "kubernetes.url = \"" + relay.url() + "\"\n"
                + "resources = [ { resource = pods, label-selector = \"app=a\" }, { resource = pods, label-selector = \"app=b\" } ]");
    }

    /** The watch request of the watch with this label selector (its lists and the bridge's other requests flow). */
    private static Predicate<String> watchOf(String labelSelector) {
        return line -> line.contains("watch=1") && line.contains("labelSelector=" + labelSelector + " ")
                || line.contains("watch=1") && line.contains("labelSelector=" + labelSelector + "&");
    }

    private void label(String name, String app) {
        server.update("pods", NAMESPACE, name, object -> object.with("metadata").with("labels").put("app", app));
    }

    /** The cluster's live pods whose app label is one of these, uid to resourceVersion. */
    private Map<String, String> selection(Set<String> apps) {
        Map<String, String> selected = new LinkedHashMap<>();
        for (ObjectNode pod : server.liveObjects("pods")) {
            if (apps.contains(pod.path("metadata").path("labels").path("app").asText())) {
                selected.put(uid(pod), pod.path("metadata").path("resourceVersion").asText());
            }
        }
        return selected;
    }

    private void awaitTopicHoldsSelection(BridgeHarness harness, Set<String> apps) {
        try {
            Await.until(() -> harness.read("core", "pods").liveResourceVersions().equals(selection(apps)), Duration.ofSeconds(60),
                    "the compacted topic holds exactly the live pods with app in " + apps);
        } catch (AssertionError e) {
            assertEquals(selection(apps), harness.read("core", "pods").liveResourceVersions(), e.getMessage());
        }
    }

    /** Waits until the watch with this label selector has received everything up to the cluster's resourceVersion now. */
    private void awaitWatchCaughtUp(Bridge bridge, String labelSelector) {
        WatchStatus status = bridge.watchStatuses().stream().filter(s -> s.target().labelSelector().equals(labelSelector)).findFirst().orElseThrow();
        long now = Long.parseLong(server.currentResourceVersion());
        Await.until(() -> status.resourceVersion() != null && Long.parseLong(status.resourceVersion()) >= now, Duration.ofSeconds(30),
                "watch " + labelSelector + " received every change up to resourceVersion " + now);
    }

    private static List<ConsumerRecord<byte[], byte[]>> recordsOf(List<ConsumerRecord<byte[], byte[]>> records, String uid) {
        return records.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(uid)).toList();
    }

    /** Whether the last event record of the uid was written by this watch with this type. */
    private static boolean lastRecordOf(BridgeHarness harness, String uid, String watch, String type) {
        List<ConsumerRecord<byte[], byte[]>> events = recordsOf(harness.read("core", "pods").events(), uid);
        if (events.isEmpty()) {
            return false;
        }
        ConsumerRecord<byte[], byte[]> last = events.get(events.size() - 1);
        return watch.equals(TopicContents.header(last, "kube2kafka.watch")) && type.equals(TopicContents.header(last, "k8s.type"));
    }

    private static boolean hasRecord(BridgeHarness harness, String uid, String watch, String type) {
        return recordsOf(harness.read("core", "pods").events(), uid).stream()
                .anyMatch(r -> watch.equals(TopicContents.header(r, "kube2kafka.watch")) && type.equals(TopicContents.header(r, "k8s.type")));
    }

    private static void assertLeftSelectionRecorded(BridgeHarness harness, String uid, String watch) {
        assertTrue(recordsOf(harness.read("core", "pods").events(), uid).stream()
                        .anyMatch(r -> watch.equals(TopicContents.header(r, "kube2kafka.watch")) && "DELETED".equals(TopicContents.header(r, "k8s.type"))
                                && "left-selection".equals(TopicContents.header(r, REASON))),
                "watch " + watch + " published a DELETED with " + REASON + "=left-selection");
    }

    private static String uid(ObjectNode object) {
        return object.path("metadata").path("uid").asText();
    }
}
