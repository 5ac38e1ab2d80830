package io.kube2kafka.connect;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * resources = * in a real Connect worker: the connector resolves it at start, and when discovery finds a
 * CRD installed or removed it asks the worker to reconfigure its tasks, which then stream the new
 * resource, or stop streaming the removed one, with nothing else disturbed.
 */
@ExtendWith(KafkaBroker.class)
class WholeClusterConnectTest {
    private static final String CONNECTOR = "whole";
    private static final Duration WITHIN = Duration.ofSeconds(90);

    @AutoClose
    private final SimulatedApiServer server = BridgeHarness.hostileCluster(5);

    @Test
    void aCrdInstalledAndRemovedReconfiguresTheTasks(EmbeddedKafkaBroker broker) throws Exception {
        server.create("pods", "default", "p1", Map.of());
        BridgeHarness harness = new BridgeHarness(broker, server, "");
        try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), harness.cluster() + ".connect")) {
            Map<String, String> config = ConnectorConfigs.quick(CONNECTOR, 2, harness, server, broker);
            config.put("resources", "*");
            config.put("watch.discovery-interval", "500ms");
            worker.createConnector(CONNECTOR, config, 2);
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            List<String> watches = assignedWatches(worker);
            assertFalse(watches.stream().anyMatch(w -> w.endsWith("/events")), "events are excluded by default: " + watches);

            String gadgets = harness.cluster() + "/example.com/gadgets";
            server.addResource(new SimResource("example.com", "v1", "gadgets", "Gadget", true));
            server.create("gadgets.example.com", "default", "g1", Map.of());
            Await.until(() -> assigned(worker, gadgets) == Boolean.TRUE, WITHIN,
                    "a task is given the new resource's watch");
            harness.awaitTopicMatchesCluster("gadgets.example.com", "example.com", "gadgets", WITHIN);
            server.create("gadgets.example.com", "default", "g2", Map.of());
            harness.awaitTopicMatchesCluster("gadgets.example.com", "example.com", "gadgets", WITHIN);
            assertEquals(2, harness.read("example.com", "gadgets").liveResourceVersions().size());

            server.removeResource("gadgets.example.com");
            Await.until(() -> assigned(worker, gadgets) == Boolean.FALSE, WITHIN,
                    "no task watches the removed resource");
            Await.until(() -> harness.read("example.com", "gadgets").liveResourceVersions().isEmpty(), WITHIN,
                    "the objects' deletions reached the topic");
            server.create("pods", "default", "p2", Map.of());
            harness.awaitTopicMatchesCluster("pods", "core", "pods", WITHIN);
            worker.awaitRunning(CONNECTOR, 2);
        }
    }

    /** Whether a task watches {@code key}; null while the worker rebalances. */
    private static Boolean assigned(ConnectWorker worker, String key) {
        List<String> watches = assignedWatches(worker);
        return watches == null ? null : watches.contains(key);
    }

    /** The watch keys the worker's tasks are configured with now; null while the worker rebalances (it answers 500 then). */
    private static List<String> assignedWatches(ConnectWorker worker) {
        if (worker.status("/connectors/" + CONNECTOR + "/tasks") != 200) {
            return null;
        }
        List<String> keys = new ArrayList<>();
        JsonNode tasks;
        try {
            tasks = worker.get("/connectors/" + CONNECTOR + "/tasks");
        } catch (AssertionError rebalancing) {
            return null; // the rebalance began between the two requests; the await asks again
        }
        for (JsonNode task : tasks) {
            for (var target : WatchAssignment.decode(task.path("config").path(WatchAssignment.WATCHES_CONFIG).asText())) {
                keys.add(target.key());
            }
        }
        return keys;
    }
}
