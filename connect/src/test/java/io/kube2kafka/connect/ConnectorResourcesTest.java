package io.kube2kafka.connect;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.watch.WatchTarget;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The connector narrows resources to namespaces and selectors with the bridge's own list syntax. */
@ExtendWith(KafkaBroker.class)
class ConnectorResourcesTest {
    @AutoClose
    private final SimulatedApiServer server = SimulatedApiServer.builder().build().start().addStandardResources();

    private List<String> assignedWatches(EmbeddedKafkaBroker broker, String resources) {
        KubernetesSourceConnector connector = new KubernetesSourceConnector();
        // topic.creation.* leaves the object topics to Connect; the connector still creates the notification and signal topics.
        connector.start(Map.of("cluster", "prod", "kubernetes.url", server.url().toString(),
                "kafka.bootstrap-servers", broker.bootstrapServers(), "resources", resources,
                "topic.creation.default.partitions", "1", "topic.creation.default.replication.factor", "1"));
        List<String> watches = new ArrayList<>();
        for (Map<String, String> task : connector.taskConfigs(2)) {
            for (WatchTarget target : WatchAssignment.decode(task.get(WatchAssignment.WATCHES_CONFIG))) {
                watches.add(target.key());
            }
        }
        connector.stop();
        watches.sort(null);
        return watches;
    }

    @Test
    void commaSeparatedNamesWatchAllNamespaces(EmbeddedKafkaBroker broker) {
        assertEquals(List.of("prod/apps/deployments", "prod/core/pods"), assignedWatches(broker, "pods, deployments.apps"));
    }

    @Test
    void theBridgesListNarrowsToNamespacesAndSelectors(EmbeddedKafkaBroker broker) {
        assertEquals(List.of(
                        "prod/apps/deployments?namespace=default&labelSelector=app=web",
                        "prod/apps/deployments?namespace=shop&labelSelector=app=web",
                        "prod/core/pods"),
                assignedWatches(broker, "[ pods, { resource = deployments.apps, namespaces = [default, shop], label-selector = \"app=web\" } ]"));
    }
}
