package io.kube2kafka.connect;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A task whose watch is not watching stays RUNNING (its other watches go on) and says so where the
 * worker's metrics are: the plugin metrics watch-up and watch-status, read from JMX as an operator would.
 */
@ExtendWith(KafkaBroker.class)
class TaskWatchMetricsTest {
    private static final String CONNECTOR = "kube-metrics";
    @AutoClose
    private final SimulatedApiServer server = BridgeHarness.hostileCluster(41);

    @Test
    void aRefusedWatchIsReportedInTheTasksPluginMetricsWhileTheTaskKeepsRunning(EmbeddedKafkaBroker broker) throws Exception {
        BridgeHarness harness = new BridgeHarness(broker, server, "");
        server.forbid("secrets");
        Map<String, String> config = ConnectorConfigs.base(CONNECTOR, 1, harness, server, broker);
        config.put("resources", "pods,secrets");
        config.put("watch.backoff-initial", "50ms");
        config.put("watch.authorization-backoff", "1s");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), harness.cluster() + ".connect")) {
            worker.createConnector(CONNECTOR, config, 1);
            String secrets = harness.cluster() + "/core/secrets";
            String pods = harness.cluster() + "/core/pods";
            Await.until(() -> "0".equals(attribute(secrets, "watch-up")) && attribute(secrets, "watch-status").contains("403"),
                    Duration.ofSeconds(60), "the refused watch is reported: " + attribute(secrets, "watch-status"));
            Await.until(() -> "1".equals(attribute(pods, "watch-up")), Duration.ofSeconds(60), "the other watch streams");
            worker.awaitRunning(CONNECTOR, 1);
            server.allow("secrets");
            Await.until(() -> "1".equals(attribute(secrets, "watch-up")), Duration.ofSeconds(60), "watching once allowed");
            assertEquals("watching", attribute(secrets, "watch-status"));
        }
    }

    /** The attribute of this watch's plugin metrics bean, as text ("" while there is none). */
    private static String attribute(String watch, String name) {
        try {
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName bean : jmx.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + CONNECTOR + ",*"), null)) {
                String tag = bean.getKeyProperty("watch");
                if (tag != null && (tag.equals(watch) || tag.startsWith("\"") && ObjectName.unquote(tag).equals(watch))) {
                    Object value = jmx.getAttribute(bean, name);
                    return value instanceof Double d ? Long.toString(Math.round(d)) : String.valueOf(value);
                }
            }
            return "";
        } catch (Exception e) {
            throw new AssertionError("reading " + name + " of " + watch + " from JMX: " + e, e);
        }
    }
}
