package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeProcess;
import io.kube2kafka.testing.ExactlyOnce;
import io.kube2kafka.testing.TopicContents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while Kafka is down: the bridge cannot commit what it holds, so it gives up after
 * kafka.shutdown-timeout, says per watch what it gave up, and checkpoints none of it. A restart
 * once Kafka is back publishes all of it, exactly once.
 */
class ShutdownDuringOutageTest {

    @Test
    void sigtermDuringAKafkaOutageExitsAfterTheShutdownTimeoutNamingWhatWasNotCommitted(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("kafka");
        EmbeddedKafkaBroker own = new EmbeddedKafkaBroker(dataDir, 0, Map.of()).start();
        String bootstrap = own.bootstrapServers();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        String cluster = "outage" + UUID.randomUUID().toString().substring(0, 6);
        String topic = "k8s." + cluster + ".core.pods";
        try (SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500)).build().start()) {
            server.addStandardResources();
            ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 9);
            churn.populate(10);
            // With the broker gone, each send waits up to max.block.ms (30 s here) for metadata, and a
            // commit as long; the shutdown timeout is far shorter, so the stop has to end a call in flight.
            int httpPort = freePort();
            File config = BridgeProcess.config(dir, "kube2kafka { cluster = " + cluster + "\n kubernetes.url = \"" + server.url() + "\"\n"
                    + " kafka.bootstrap-servers = \"" + bootstrap + "\"\n kafka.shutdown-timeout = 2s\n"
                    + " http { address = 127.0.0.1, port = " + httpPort + " }\n resources = [ pods ] }");
            long after;
            try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                awaitTopicMatches(bootstrap, server, topic, bridge);
                Await.until(() -> bridge.log().contains("streaming 1 watch"), Duration.ofSeconds(60), "the bridge started; log:\n" + bridge.log());
                after = Long.parseLong(server.currentResourceVersion());
                own.close();
                churn.churn(15);
                // The bridge has read the changes it cannot commit now.
                Await.until(() -> watchEventsRead(httpPort) >= 15, Duration.ofSeconds(60),
                        "the bridge read the changes made during the outage; log:\n" + bridge.log());

                assertEquals(0, bridge.terminate(), "a stop that loses nothing exits 0; log:\n" + bridge.log());
                String log = bridge.log();
                assertTrue(log.contains("these were not committed"), log);
                assertTrue(log.matches("(?s).*watch " + cluster + "/core/pods: \\d+ events \\(resourceVersion \\d+ to \\d+\\), "
                        + "checkpoint stays at resourceVersion \\d+.*"), log);
            }

            own = new EmbeddedKafkaBroker(dataDir, port, Map.of()).start();
            try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                awaitTopicMatches(bootstrap, server, topic, bridge);
                Await.until(() -> bridge.log().contains("streaming 1 watch"), Duration.ofSeconds(60), "the bridge started; log:\n" + bridge.log());
                assertEquals(0, bridge.terminate(), bridge.log());
            }
            ExactlyOnce.assertEveryChangeExactlyOnce(TopicContents.read(bootstrap, topic), server.changes("pods"), after);
        } finally {
            own.close();
        }
    }

    /** kube2kafka_watch_events_total of ADDED, MODIFIED and DELETED, as /metrics says. */
    private static double watchEventsRead(int httpPort) {
        try {
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return metrics.body().lines().filter(l -> l.startsWith("kube2kafka_watch_events_total{") && !l.contains("BOOKMARK"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitTopicMatches(String bootstrap, SimulatedApiServer server, String topic, BridgeProcess bridge) {
        Map<String, String> live = new LinkedHashMap<>();
        server.liveObjects("pods").forEach(o -> live.put(o.path("metadata").path("uid").asText(), o.path("metadata").path("resourceVersion").asText()));
        Await.until(() -> TopicContents.read(bootstrap, topic).liveResourceVersions().equals(live),
                Duration.ofSeconds(90), "the topic equals the cluster; log:\n" + bridge.log());
    }
}
