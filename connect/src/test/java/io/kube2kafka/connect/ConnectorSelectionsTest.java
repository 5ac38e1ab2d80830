package io.kube2kafka.connect;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watches that write one topic run in one task, which orders their records (an object moving between
 * their selections must not be wiped by a tombstone from another task's producer); entries that are
 * one watch are rejected by validate(), naming both.
 */
@ExtendWith(KafkaBroker.class)
class ConnectorSelectionsTest {
    @AutoClose
    private final SimulatedApiServer server = SimulatedApiServer.builder().build().start().addStandardResources();

    /** @param bootstrapServers only start() reaches it: the connector creates the notification and signal topics itself */
    private Map<String, String> config(String bootstrapServers, String resources) {
        // topic.creation.* leaves the object topics to Connect.
        return Map.of("cluster", "prod", "kubernetes.url", server.url().toString(), "kafka.bootstrap-servers", bootstrapServers,
                "resources", resources, "topic.creation.default.partitions", "1", "topic.creation.default.replication.factor", "1");
    }

    @Test
    void theWatchesOfOneTopicRunInOneTask(EmbeddedKafkaBroker broker) {
        KubernetesSourceConnector connector = new KubernetesSourceConnector();
        connector.start(config(broker.bootstrapServers(), "[ { resource = pods, label-selector = \"app=a\" }, deployments.apps, { resource = pods, label-selector = \"app=b\" } ]"));
        List<List<String>> tasks = new ArrayList<>();
        for (Map<String, String> task : connector.taskConfigs(3)) {
            tasks.add(WatchAssignment.decode(task.get(WatchAssignment.WATCHES_CONFIG)).stream().map(WatchTarget::key).toList());
        }
        connector.stop();
        assertEquals(List.of(List.of("prod/core/pods?labelSelector=app=a", "prod/core/pods?labelSelector=app=b"),
                List.of("prod/apps/deployments")), tasks);
    }

    @Test
    void validateRejectsTwoEntriesThatAreOneWatch() {
        ConfigValue resources = new KubernetesSourceConnector().validate(config("127.0.0.1:9", "pods, deployments.apps, po")).configValues().stream()
                .filter(v -> v.name().equals("resources")).findFirst().orElseThrow();
        assertTrue(resources.errorMessages().stream().anyMatch(m -> m.contains("resources[2] (po) and resources[0] (pods) are the same watch")),
                resources.errorMessages().toString());
    }
}
