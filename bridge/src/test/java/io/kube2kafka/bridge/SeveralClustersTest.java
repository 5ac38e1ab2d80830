package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.ops.Readiness;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.SeveralClusters;
import io.kube2kafka.testing.TopicContents;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.UnknownResourceException;
import io.kube2kafka.watch.WatchStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several clusters in one bridge: one publisher, each cluster's topics equal that cluster, and one going away stops none of the others. */
@ExtendWith(KafkaBroker.class)
class SeveralClustersTest {

    private static SimulatedApiServer server() {
        return SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500)).build().start().addStandardResources();
    }

    @Test
    void bothClustersStreamAndOneGoingAwayStopsNotTheOther(EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer serverA = server(); SimulatedApiServer serverB = server()) {
            BridgeHarness a = new BridgeHarness(broker, serverA, "");
            BridgeHarness b = new BridgeHarness(broker, serverB, "");
            ClusterChurn churnA = new ClusterChurn(serverA, List.of("pods"), 1);
            ClusterChurn churnB = new ClusterChurn(serverB, List.of("pods", "configmaps"), 2);
            churnA.populate(10);
            churnB.populate(8);
            BridgeSettings settings = SeveralClusters.settings(broker, a,
                    SeveralClusters.entry(a, serverA.url().toString(), "[pods]", ""),
                    SeveralClusters.entry(b, serverB.url().toString(), "[pods, configmaps]", ""));

            try (Bridge bridge = Bridge.start(settings, Pauser.REAL)) {
                SeveralClusters.awaitWatching(bridge, a.cluster());
                SeveralClusters.awaitWatching(bridge, b.cluster());
                churnA.churn(20);
                churnB.churn(20);
                a.awaitTopicMatchesCluster("pods", "core", "pods");
                b.awaitTopicMatchesCluster("pods", "core", "pods");
                b.awaitTopicMatchesCluster("configmaps", "core", "configmaps");
                assertEquals(Set.of(a.cluster()), clustersIn(a.read("core", "pods")), "cluster A's topic holds A's objects only");
                assertEquals(Set.of(b.cluster()), clustersIn(b.read("core", "pods")));

                // One publisher: the one checkpoint topic holds the watches of both clusters.
                Await.until(() -> checkpointKeys(broker, a).containsAll(List.of(a.cluster() + "/core/pods", b.cluster() + "/core/pods",
                        b.cluster() + "/core/configmaps")), Duration.ofSeconds(30), "both clusters' checkpoints are committed");

                serverB.close();
                Await.until(() -> bridge.watchStatuses().stream().filter(s -> s.target().cluster().equals(b.cluster()))
                        .allMatch(s -> s.state() != WatchStatus.State.WATCHING), Duration.ofSeconds(60), "cluster B's watches notice it is gone");
                churnA.churn(30);
                serverA.create("pods", "default", "after-b-went-away", Map.of());
                a.awaitTopicMatchesCluster("pods", "core", "pods");
                assertTrue(a.read("core", "pods").liveResourceVersions().size() >= 1);
                assertEquals(null, bridge.stopped().getNow(null), "the bridge keeps running");
                String readiness = Readiness.of(bridge.watchStatuses(), bridge.waitingClusters(), bridge.publisher().stats(), null).describe();
                assertTrue(readiness.contains("watch " + b.cluster() + "/core/pods: failing"), readiness);
            }
        }
    }

    @Test
    void aClusterUnreachableAtStartUpWaitsAloneAndStartsWhenItAnswers(EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer serverA = server(); SimulatedApiServer serverB = server()) {
            BridgeHarness a = new BridgeHarness(broker, serverA, "");
            BridgeHarness b = new BridgeHarness(broker, serverB, "");
            new ClusterChurn(serverA, List.of("pods"), 3).populate(5);
            new ClusterChurn(serverB, List.of("pods"), 4).populate(7);
            serverB.failNextRequests(Integer.MAX_VALUE, 503, null);
            BridgeSettings settings = SeveralClusters.settings(broker, a,
                    SeveralClusters.entry(a, serverA.url().toString(), "[pods]", ""),
                    SeveralClusters.entry(b, serverB.url().toString(), "[pods]", ""));

            try (Bridge bridge = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Bridge.start(settings, Pauser.REAL),
                    "start returns while cluster B cannot be reached")) {
                SeveralClusters.awaitWatching(bridge, a.cluster());
                a.awaitTopicMatchesCluster("pods", "core", "pods");
                String readiness = Readiness.of(bridge.watchStatuses(), bridge.waitingClusters(), bridge.publisher().stats(), null).describe();
                assertTrue(readiness.contains("cluster " + b.cluster() + ": waiting for discovery"), readiness);
                assertTrue(readiness.contains("HTTP 503"), readiness);

                serverB.failNextRequests(0, 503, null);
                SeveralClusters.awaitWatching(bridge, b.cluster());
                b.awaitTopicMatchesCluster("pods", "core", "pods");
                assertEquals(Map.of(), bridge.waitingClusters());
            }
        }
    }

    @Test
    void anUnknownResourceInAReachableClusterIsAStartUpError(EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer serverA = server(); SimulatedApiServer serverB = server()) {
            BridgeHarness a = new BridgeHarness(broker, serverA, "");
            BridgeHarness b = new BridgeHarness(broker, serverB, "");
            BridgeSettings settings = SeveralClusters.settings(broker, a,
                    SeveralClusters.entry(a, serverA.url().toString(), "[pods]", ""),
                    SeveralClusters.entry(b, serverB.url().toString(), "[pods, gizmos.example.com]", ""));
            UnknownResourceException unknown = assertThrows(UnknownResourceException.class, () -> Bridge.start(settings, Pauser.REAL).close());
            assertTrue(unknown.getMessage().contains("cluster " + b.cluster() + ": unknown resource \"gizmos.example.com\""), unknown.getMessage());
            assertEquals("clusters[1].resources[].resource", unknown.keyPath());
        }
    }

    private static Set<String> clustersIn(TopicContents topic) {
        return topic.events().stream().map(r -> TopicContents.header(r, "k8s.cluster")).collect(Collectors.toSet());
    }

    private static Set<String> checkpointKeys(EmbeddedKafkaBroker broker, BridgeHarness first) {
        return TopicContents.read(broker.bootstrapServers(), first.cluster() + ".checkpoints").records().stream()
                .map(ConsumerRecord::key).map(k -> new String(k, StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }
}
