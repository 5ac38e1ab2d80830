package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.publish.TransactionalPublisher;
import io.kube2kafka.sim.Chunking;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.ExpiredWatchMode;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.ExactlyOnce;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guarantees 1-3 and 5 of the contract under network, server and broker faults. */
@ExtendWith(KafkaBroker.class)
class FaultToleranceTest {
    private SimulatedApiServer server;

    @BeforeEach
    void startCluster() {
        server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300)).chunking(Chunking.randomSplits(9)).build().start();
        server.addStandardResources();
    }

    @AfterEach
    void stopCluster() {
        server.close();
    }

    private long watchingFrom(Bridge bridge) {
        BridgeHarness.awaitWatching(bridge);
        return Long.parseLong(server.currentResourceVersion());
    }

    @Test
    void cutLinesHalfOpenConnectionsTimeoutsThrottlingAndServerErrorsLoseAndDoubleNothing(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 11);
        churn.populate(10);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch { timeout = 2s, idle-timeout = 1s }");
        try (Bridge bridge = harness.start()) {
            long after = watchingFrom(bridge);
            WatchStatus status = bridge.watchStatuses().get(0);
            churn.churn(10);
            server.dropWatchConnectionsMidLine();
            churn.churn(10);
            // OkHttp notices the missing terminating chunk (ProtocolException) before the line reader sees the partial line.
            Await.until(() -> status.errors().getOrDefault("ProtocolException", 0L) + status.errors().getOrDefault("TruncatedStreamException", 0L) >= 1,
                    Duration.ofSeconds(30), "the cut line was noticed: " + status.errors());
            awaitReopened(status, 2);
            server.silenceWatchConnections();
            churn.churn(10);
            Await.until(() -> status.errors().getOrDefault("SocketTimeoutException", 0L) >= 1, Duration.ofSeconds(30),
                    "the half-open watch hit the idle timeout: " + status.errors());
            awaitReopened(status, 3);
            server.failNextRequests(2, 429, "1");
            server.dropWatchConnectionsMidLine();
            churn.churn(10);
            Await.until(() -> status.errors().getOrDefault("429", 0L) >= 1, Duration.ofSeconds(30), "throttled: " + status.errors());
            awaitReopened(status, 5);
            server.failNextRequests(2, 503, null);
            server.dropWatchConnectionsMidLine();
            churn.churn(10);
            Await.until(() -> status.errors().getOrDefault("503", 0L) >= 1, Duration.ofSeconds(30), "server errors: " + status.errors());
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            // Watches ended by timeoutSeconds (2-4 s) were reopened from the last resourceVersion.
            Await.until(() -> status.watchesOpened() >= 6, Duration.ofSeconds(30), "watches were reopened");
            ExactlyOnce.assertEveryChangeExactlyOnce(harness.read("core", "pods"), server.changes("pods"), after);
            assertEquals(0, status.relists(), "no fault here calls for a list");
        }
    }

    @Test
    void anExpiredWatchAnsweredWithHttp410ListsAndComparesToo(EmbeddedKafkaBroker broker) throws Exception {
        server.close();
        server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300)).expiredWatch(ExpiredWatchMode.HTTP_410).build().start();
        server.addStandardResources();
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 12);
        churn.populate(8);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        churn.churn(20);
        server.compact();
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertEquals(1, bridge.watchStatuses().get(0).relists());
            long after = Long.parseLong(server.currentResourceVersion());
            churn.churn(10);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            ExactlyOnce.assertEveryChangeExactlyOnce(harness.read("core", "pods"), server.changes("pods"), after);
        }
    }

    @Test
    void manyDeletionsDuringAnOutageEachGetTheLastStateTheTopicHeld(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 16);
        churn.populate(30);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n watch.page-size = 10");
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        Map<String, String> held = harness.read("core", "pods").liveResourceVersions();
        Map<String, String> deletedNames = new java.util.HashMap<>();
        for (int i = 0; i < 25; i++) {
            com.fasterxml.jackson.databind.JsonNode gone = churn.deleteOne().path("metadata");
            deletedNames.put(gone.path("uid").asText(), gone.path("name").asText());
        }
        server.compact();
        try (Bridge bridge = harness.startWatching()) {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
        }
        List<ConsumerRecord<byte[], byte[]>> derived = harness.read("core", "pods").events().stream()
                .filter(r -> "DELETED".equals(TopicContents.header(r, "k8s.type"))).toList();
        assertEquals(25, derived.size(), "one DELETED per object deleted while unwatched, over several pages");
        for (ConsumerRecord<byte[], byte[]> record : derived) {
            String uid = TopicContents.header(record, "k8s.uid");
            assertEquals("list", TopicContents.header(record, "kube2kafka.origin"));
            assertEquals(held.get(uid), TopicContents.header(record, "k8s.resourceVersion"), "the last resourceVersion the topic held");
            assertTrue(TopicContents.value(record).contains("\"name\":\"" + deletedNames.get(uid) + "\""), "the last state the topic held");
        }
    }

    @Test
    void aBrokerOutageMidStreamLosesNothingAndMarksThePublisherUnhealthy(@TempDir Path dataDir) throws Exception {
        EmbeddedKafkaBroker own = new EmbeddedKafkaBroker(dataDir, 0, Map.of()).start();
        int port = Integer.parseInt(own.bootstrapServers().substring(own.bootstrapServers().lastIndexOf(':') + 1));
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 13);
        churn.populate(5);
        BridgeHarness harness = new BridgeHarness(own, server, "resources = [ pods ]\n kafka.producer { \"max.block.ms\" = 2000, \"delivery.timeout.ms\" = 3000, \"request.timeout.ms\" = 1000 }");
        try (Bridge bridge = harness.start()) {
            long after = watchingFrom(bridge);
            churn.churn(10);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            own.close();
            churn.churn(15);
            Await.until(() -> !bridge.publisher().healthy(), Duration.ofSeconds(60), "the publisher reports the outage");
            own = new EmbeddedKafkaBroker(dataDir, port, Map.of()).start();
            churn.churn(5);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            Await.until(() -> bridge.publisher().healthy(), Duration.ofSeconds(30), "healthy again");
            ExactlyOnce.assertEveryChangeExactlyOnce(harness.read("core", "pods"), server.changes("pods"), after);
        } finally {
            own.close();
        }
    }

    @Test
    void malformedLinesAndUnknownEventTypesAreLoggedRetriedAndLoseNothing(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 14);
        churn.populate(5);
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
        try (Bridge bridge = harness.start(recording(pauses))) {
            long after = watchingFrom(bridge);
            WatchStatus status = bridge.watchStatuses().get(0);
            churn.churn(5);
            server.injectWatchLine("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"broken\"");
            Await.until(() -> status.errors().getOrDefault("MalformedEventException", 0L) == 1, Duration.ofSeconds(30), "the malformed line was refused");
            assertTrue(status.lastError() == null || status.lastError().contains("malformed watch line"), status.lastError());
            churn.churn(5);
            Await.until(() -> status.watchesOpened() == 2 && status.state() == WatchStatus.State.WATCHING, Duration.ofSeconds(30), "the watch reopened");
            server.injectWatchLine("{\"type\":\"EXPLODED\",\"object\":{\"metadata\":{\"name\":\"odd\",\"uid\":\"u-1\",\"resourceVersion\":\"1\"}}}");
            Await.until(() -> status.errors().getOrDefault("MalformedEventException", 0L) == 2, Duration.ofSeconds(30), "the unknown type was refused");
            churn.churn(5);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            ExactlyOnce.assertEveryChangeExactlyOnce(harness.read("core", "pods"), server.changes("pods"), after);
            assertTrue(pauses.stream().allMatch(p -> p.toMillis() >= 50), "each retry waited: " + pauses);
        }
    }

    @Test
    void anObjectTooLargeForKafkaBecomesAMarkerNamingIt(EmbeddedKafkaBroker broker) throws Exception {
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ configmaps ]");
        try (Bridge bridge = harness.startWatching()) {
            String uid = server.create("configmaps", "default", "huge", Map.of()).path("metadata").path("uid").asText();
            server.update("configmaps", "default", "huge", o -> o.with("data").put("blob", "z".repeat(1_200_000)));
            server.create("configmaps", "default", "after", Map.of());
            harness.awaitTopicMatchesCluster("configmaps", "core", "configmaps");
            ConsumerRecord<byte[], byte[]> marker = harness.read("core", "configmaps").events().stream()
                    .filter(r -> TopicContents.header(r, "kube2kafka.oversized") != null).findFirst().orElseThrow();
            assertEquals(uid, TopicContents.header(marker, "k8s.uid"));
            String value = TopicContents.value(marker);
            assertTrue(value.contains("\"oversized\":true") && value.contains("\"name\":\"huge\""), value);
        }
    }

    @Test
    void withOversizedFailTheBridgeStopsAndCheckpointsNothingPastTheEvent(EmbeddedKafkaBroker broker) throws Exception {
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ configmaps ]\n output.oversized = fail");
        try (Bridge bridge = harness.startWatching()) {
            server.create("configmaps", "default", "huge", Map.of("a", "b"));
            server.update("configmaps", "default", "huge", o -> o.with("data").put("blob", "z".repeat(1_200_000)));
            Throwable cause = bridge.stopped().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertInstanceOf(io.kube2kafka.publish.RecordFactory.OversizedEventException.class, cause);
            assertTrue(cause.getMessage().contains("default/huge"), cause.getMessage());
        }
        assertFalse(harness.read("core", "configmaps").events().stream()
                .anyMatch(r -> TopicContents.value(r).contains("zzzzzzzz")), "nothing oversized was published");
    }

    @Test
    void aForbiddenResourceIsRetriedSlowlyWhileTheOthersKeepFlowing(EmbeddedKafkaBroker broker) throws Exception {
        server.forbid("secrets");
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods, secrets ]");
        try (Bridge bridge = harness.start(pause -> {
            pauses.add(pause);
            Thread.sleep(pause.toMillis());
        })) {
            WatchStatus secrets = bridge.watchStatuses().get(1);
            Await.until(() -> secrets.state() == WatchStatus.State.FAILING, Duration.ofSeconds(30), "the secrets watch fails");
            assertTrue(secrets.lastError().contains("403"), secrets.lastError());
            server.create("pods", "default", "still-flowing", Map.of());
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertEquals(1, harness.read("core", "pods").events().size());
            assertTrue(pauses.stream().anyMatch(p -> p.equals(Duration.ofSeconds(30))), "403 waits authorization-backoff: " + pauses);
            long secretRequests = server.requests().stream().filter(r -> r.path().contains("secrets")).count();
            assertEquals(1, secretRequests, "one refused list, then a 30 s pause: no busy loop on a 403");
        }
    }

    @Test
    void aWrongTokenIsReportedAndRetriedSlowlyNotInABusyLoop(EmbeddedKafkaBroker broker) {
        server.setToken("the-right-one");
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n kubernetes.token = wrong");
        // The pauser ends the first wait, so the test sees what the bridge chose without waiting 30 s.
        assertThrows(InterruptedException.class, () -> harness.start(pause -> {
            pauses.add(pause);
            throw new InterruptedException("the test ends the wait");
        }));
        assertEquals(List.of(Duration.ofSeconds(30)), pauses, "a 401 waits watch.authorization-backoff");
        assertEquals(1, server.requests().size(), "one refused request before the pause");
    }

    @Test
    void aSecondBridgeWithTheSameConfigurationFencesTheFirstAndNothingIsDoubled(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 15);
        churn.populate(5);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
        Bridge first = harness.start();
        long after = watchingFrom(first);
        churn.churn(10);
        try (Bridge second = harness.startWatching()) {
            churn.churn(10);
            Throwable cause = first.stopped().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertInstanceOf(TransactionalPublisher.FatalPublishException.class, cause);
            assertTrue(cause.getMessage().contains("fenced"), cause.getMessage());
            first.close();
            churn.churn(10);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            ExactlyOnce.assertEveryChangeExactlyOnce(harness.read("core", "pods"), server.changes("pods"), after);
        }
    }

    /** Faults hit open watches only: wait until the watcher has reopened after the last one. */
    private static void awaitReopened(WatchStatus status, long opened) {
        Await.until(() -> status.watchesOpened() >= opened && status.state() == WatchStatus.State.WATCHING, Duration.ofSeconds(30),
                "the watch is open again (" + opened + " opened so far, now " + status.watchesOpened() + ")");
    }

    /** Records each pause and waits only a moment, so tests see the backoff a watcher chose without waiting it out. */
    private static Pauser recording(List<Duration> pauses) {
        return pause -> {
            pauses.add(pause);
            Thread.sleep(Math.min(pause.toMillis(), 200));
        };
    }
}
