package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.SeveralClusters;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.UnknownResourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery as real clusters serve it: an aggregated API group that is down (metrics-server not
 * running), and resources that cannot be watched. Checked through the bridge and the real broker.
 */
@ExtendWith(KafkaBroker.class)
class DiscoveryFailuresEndToEndTest {

    /** The standard resources, then metrics.k8s.io (down), then a CRD listed after it. */
    private static SimulatedApiServer clusterWithMetricsDown() {
        SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500)).build().start();
        server.addStandardResources();
        server.addResource(new SimResource("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false));
        server.addResource(new SimResource("example.com", "v1", "widgets", "Widget", true));
        server.setGroupUnavailable("metrics.k8s.io", true);
        return server;
    }

    @Test
    void anAggregatedGroupThatIsDownHoldsBackOnlyTheResourceInItAndSaysWhichGroup(EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer needsMetrics = clusterWithMetricsDown(); SimulatedApiServer other = clusterWithMetricsDown()) {
            BridgeHarness a = new BridgeHarness(broker, needsMetrics, "");
            BridgeHarness b = new BridgeHarness(broker, other, "");
            ClusterChurn churnA = new ClusterChurn(needsMetrics, List.of("pods", "nodes.metrics.k8s.io"), 21);
            ClusterChurn churnB = new ClusterChurn(other, List.of("pods", "widgets.example.com"), 22);
            churnA.populate(4);
            churnB.populate(4);
            BridgeSettings settings = SeveralClusters.settings(broker, a,
                    SeveralClusters.entry(a, needsMetrics.url().toString(), "[pods, nodes.metrics.k8s.io]", ""),
                    // "widgets" unqualified: searched in the group that is down before the one that serves it.
                    SeveralClusters.entry(b, other.url().toString(), "[pods, widgets]", ""));
            try (Bridge bridge = Bridge.start(settings, Pauser.REAL)) {
                SeveralClusters.awaitWatching(bridge, b.cluster());
                churnA.churn(10);
                churnB.churn(10);
                a.awaitTopicMatchesCluster("pods", "core", "pods"); // its group being down holds back only nodes.metrics.k8s.io
                b.awaitTopicMatchesCluster("pods", "core", "pods");
                b.awaitTopicMatchesCluster("widgets.example.com", "example.com", "widgets");

                String waiting = bridge.waitingClusters().getOrDefault(a.cluster(), "");
                assertTrue(waiting.contains("\"nodes.metrics.k8s.io\" is not resolved yet: discovery of metrics.k8s.io/v1beta1 "
                        + "failed (HTTP 503 ServiceUnavailable"), "readiness says which group failed: " + waiting);

                needsMetrics.setGroupUnavailable("metrics.k8s.io", false);
                SeveralClusters.awaitWatching(bridge, a.cluster());
                churnA.churn(10);
                a.awaitTopicMatchesCluster("nodes.metrics.k8s.io", "metrics.k8s.io", "nodes");
                a.awaitTopicMatchesCluster("pods", "core", "pods");
                assertTrue(bridge.stopped().getNow(null) == null);
            }
        }
    }

    /**
     * One cluster, two configured resources, one of them in an aggregated group that answers 503: the other
     * streams at once, readiness names the one waiting and its group, and it streams once its group answers.
     */
    @Test
    void aResourceInAGroupThatIsDownWaitsAloneWhileTheOthersStream(EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer server = clusterWithMetricsDown()) {
            BridgeHarness harness = new BridgeHarness(broker, server, "resources = [pods, nodes.metrics.k8s.io]");
            ClusterChurn churn = new ClusterChurn(server, List.of("pods", "nodes.metrics.k8s.io"), 23);
            churn.populate(4);
            // On a thread: a bridge that waited for the group would never return from start, and the test says so instead of hanging.
            CompletableFuture<Bridge> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    return harness.start();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            Await.until(starting::isDone, Duration.ofSeconds(60), "the bridge starts while metrics.k8s.io answers 503");
            try (Bridge bridge = starting.join()) {
                churn.churn(10);
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                String waiting = bridge.waitingClusters().getOrDefault(harness.cluster(), "");
                assertTrue(waiting.contains("\"nodes.metrics.k8s.io\" is not resolved yet: discovery of metrics.k8s.io/v1beta1 "
                        + "failed (HTTP 503 ServiceUnavailable"), "readiness names the waiting resource and its group: " + waiting);

                server.setGroupUnavailable("metrics.k8s.io", false);
                churn.churn(10);
                harness.awaitTopicMatchesCluster("nodes.metrics.k8s.io", "metrics.k8s.io", "nodes");
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                Await.until(() -> bridge.waitingClusters().isEmpty(), Duration.ofSeconds(30),
                        () -> "readiness no longer waits for the cluster: " + bridge.waitingClusters());
                assertNull(bridge.stopped().getNow(null));
            }
        }
    }

    @Test
    void aResourceThatCannotBeWatchedStopsTheStartNamingIt(EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().start()) {
            server.addStandardResources();
            server.setVerbs("configmaps", "get", "list");
            BridgeHarness harness = new BridgeHarness(broker, server, "resources = [pods, configmaps]");

            UnknownResourceException error = assertThrows(UnknownResourceException.class, harness::start);

            assertTrue(error.getMessage().contains("resource \"configmaps\" (core/v1/configmaps) cannot be streamed: "
                    + "the API server allows only [get, list] on it"), error.getMessage());
        }
    }
}
