package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.SeveralClusters;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.UnknownResourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

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
                churnB.churn(10);
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
