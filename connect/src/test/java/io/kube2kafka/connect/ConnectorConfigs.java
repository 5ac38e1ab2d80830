package io.kube2kafka.connect;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.BridgeHarness;

import java.util.LinkedHashMap;
import java.util.Map;

/** What every connector the tests create needs: its name and class, its tasks, and where its cluster and Kafka are. */
final class ConnectorConfigs {
    private ConnectorConfigs() {
    }

    /** A modifiable configuration: each test adds its own keys. */
    static Map<String, String> base(String name, int tasks, BridgeHarness harness, SimulatedApiServer server, EmbeddedKafkaBroker broker) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("connector.class", KubernetesSourceConnector.class.getName());
        config.put("tasks.max", Integer.toString(tasks));
        config.put("cluster", harness.cluster());
        config.put("kubernetes.url", server.url().toString());
        config.put("kafka.bootstrap-servers", broker.bootstrapServers());
        return config;
    }

    /**
     * {@link #base} with watches that reconnect and retry on a test's time scale: a 5 s watch timeout and
     * a backoff of 50 ms to 1 s, so a fault or a reconfiguration is over in seconds, not minutes.
     */
    static Map<String, String> quick(String name, int tasks, BridgeHarness harness, SimulatedApiServer server, EmbeddedKafkaBroker broker) {
        Map<String, String> config = base(name, tasks, harness, server, broker);
        config.put("watch.timeout", "5s");
        config.put("watch.backoff-initial", "50ms");
        config.put("watch.backoff-max", "1s");
        return config;
    }
}
