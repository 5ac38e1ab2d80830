package io.kube2kafka.connect;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A configured resource in an aggregated API group whose backend is down (metrics.k8s.io answering 503),
 * in a real Connect worker: the connector starts a task for the resource that resolves, and once the
 * group answers it asks the worker to reconfigure, and the waiting resource streams too.
 */
@ExtendWith(KafkaBroker.class)
class AggregatedGroupDownConnectTest {
    private static final String CONNECTOR = "partial";
    private static final Duration WITHIN = Duration.ofSeconds(90);

    @Test
    void theResourceThatResolvesStreamsWhileTheOtherWaitsForItsGroup(EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500)).build().start()) {
            server.addStandardResources();
            server.addResource(new SimResource("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false));
            server.setGroupUnavailable("metrics.k8s.io", true);
            ClusterChurn churn = new ClusterChurn(server, List.of("pods", "nodes.metrics.k8s.io"), 24);
            churn.populate(4);
            BridgeHarness harness = new BridgeHarness(broker, server, "");
            try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), harness.cluster() + ".connect")) {
                Map<String, String> config = ConnectorConfigs.quick(CONNECTOR, 2, harness, server, broker);
                config.put("resources", "pods,nodes.metrics.k8s.io");
                worker.createConnector(CONNECTOR, config, 1);
                churn.churn(10);
                harness.awaitTopicMatchesCluster("pods", "core", "pods", WITHIN);

                server.setGroupUnavailable("metrics.k8s.io", false);
                churn.churn(10);
                harness.awaitTopicMatchesCluster("nodes.metrics.k8s.io", "metrics.k8s.io", "nodes", WITHIN);
                harness.awaitTopicMatchesCluster("pods", "core", "pods", WITHIN);
                worker.awaitRunning(CONNECTOR, 2);
            }
        }
    }
}
