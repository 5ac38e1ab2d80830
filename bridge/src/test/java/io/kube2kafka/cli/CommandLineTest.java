package io.kube2kafka.cli;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeProcess;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user runs it: a child JVM, real signals, exit statuses. */
@ExtendWith(KafkaBroker.class)
class CommandLineTest {

    @Test
    void badConfigurationExitsTwoNamingEveryBadKey(@TempDir Path dir) throws Exception {
        File config = BridgeProcess.config(dir, """
                kube2kafka {
                  watch.page-size = 0
                  kafka.delivery = "twice"
                  kafka.bootstrap-server = "127.0.0.1:9092"
                  resources = [ { resource = "pods", namespace = "x" } ]
                }
                """);
        try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
            assertEquals(2, bridge.waitFor(), bridge.log());
            String log = bridge.log();
            assertTrue(log.contains("watch.page-size=0: must be at least 1"), log);
            assertTrue(log.contains("kafka.delivery=\"twice\": must be exactly-once or at-least-once"), log);
            assertTrue(log.contains("kube2kafka.kafka.bootstrap-server: unknown key (did you mean kafka.bootstrap-servers?)"), log);
            assertTrue(log.contains("resources[0].namespace: unknown key"), log);
        }
    }

    @Test
    void anUnknownResourceExitsTwoNamingIt(@TempDir Path dir, EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().start()) {
            server.addStandardResources();
            File config = BridgeProcess.config(dir, "kube2kafka { kubernetes.url = \"" + server.url() + "\"\n kafka.bootstrap-servers = \""
                    + broker.bootstrapServers() + "\"\n http.port = -1\n resources = [ pods, gizmos.example.com ] }");
            try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                assertEquals(2, bridge.waitFor(), bridge.log());
                assertTrue(bridge.log().contains("unknown resource \"gizmos.example.com\""), bridge.log());
            }
        }
    }

    @Test
    void aResourceThatCannotBeWatchedExitsTwoNamingIt(@TempDir Path dir, EmbeddedKafkaBroker broker) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().start()) {
            server.addStandardResources();
            server.setVerbs("configmaps", "get", "list"); // as componentstatuses on a real server: no watch
            File config = BridgeProcess.config(dir, "kube2kafka { kubernetes.url = \"" + server.url() + "\"\n kafka.bootstrap-servers = \""
                    + broker.bootstrapServers() + "\"\n http.port = -1\n resources = [ pods, configmaps ] }");
            try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                assertEquals(2, bridge.waitFor(), bridge.log());
                assertTrue(bridge.log().contains("resource \"configmaps\" (core/v1/configmaps) cannot be streamed"), bridge.log());
            }
        }
    }

    @Test
    void sigtermCommitsWhatIsInFlightAndExitsZero(@TempDir Path dir, EmbeddedKafkaBroker broker) throws Exception {
        String cluster = "term" + UUID.randomUUID().toString().substring(0, 6);
        try (SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500)).build().start()) {
            server.addStandardResources();
            ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 5);
            churn.populate(20);
            File config = BridgeProcess.config(dir, "kube2kafka { cluster = " + cluster + "\n kubernetes.url = \"" + server.url() + "\"\n"
                    + " kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n http.port = -1\n resources = [ pods ] }");
            String topic = "k8s." + cluster + ".core.pods";
            try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                Await.until(() -> TopicContents.read(broker.bootstrapServers(), topic).liveResourceVersions().size() == 20,
                        Duration.ofSeconds(90), () -> "the first list is in Kafka; log:\n" + bridge.log());
                churn.churn(30);
                assertEquals(0, bridge.terminate(), bridge.log());
            }
            // Whatever was read before the signal is committed; what was not is read again on restart.
            Map<String, String> live = new LinkedHashMap<>();
            server.liveObjects("pods").forEach(o -> live.put(o.path("metadata").path("uid").asText(), o.path("metadata").path("resourceVersion").asText()));
            try (BridgeProcess again = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                Await.until(() -> TopicContents.read(broker.bootstrapServers(), topic).liveResourceVersions().equals(live),
                        Duration.ofSeconds(90), () -> "after a restart the topic equals the cluster; log:\n" + again.log());
                Await.until(() -> again.log().contains("streaming 1 watch"), Duration.ofSeconds(60), () -> "the bridge started; log:\n" + again.log());
                assertEquals(0, again.terminate(), again.log());
            }
            try (BridgeProcess checkpoints = BridgeProcess.start(dir, "checkpoints", "--config", config.getPath())) {
                assertEquals(0, checkpoints.waitFor(), checkpoints.log());
                assertTrue(checkpoints.log().contains(cluster + "/core/pods " ) && checkpoints.log().contains(server.currentResourceVersion()),
                        "the checkpoint of the pods watch is the cluster's resourceVersion:\n" + checkpoints.log());
            }
            try (BridgeProcess tail = BridgeProcess.start(dir, "tail", topic, "--from-beginning", "--config", config.getPath())) {
                Await.until(() -> tail.log().lines().filter(l -> l.contains("core/v1/pods")).count()
                                == TopicContents.read(broker.bootstrapServers(), topic).records().size(),
                        Duration.ofSeconds(60), () -> "tail prints one line per record:\n" + tail.log());
                assertTrue(tail.log().contains("TOMBSTONE"), tail.log());
                assertEquals(0, tail.terminate(), tail.log());
            }
        }
    }
}
