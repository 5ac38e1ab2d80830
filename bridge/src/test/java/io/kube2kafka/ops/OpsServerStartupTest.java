package io.kube2kafka.ops;

import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ops server answers while start-up is stuck, as a pod's probes need: {@code ./kube2kafka run}
 * against a Kafka that does not answer serves /healthz at once and a /readyz that names the step it
 * waits on, instead of nothing at all until Kafka comes.
 */
class OpsServerStartupTest {

    @Test
    void readyzNamesTheStartUpStepWhileKafkaIsUnreachable(@TempDir Path dir) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().start()) {
            server.addStandardResources();
            int closedKafkaPort = freePort(); // nothing listens there: connections are refused
            int httpPort = freePort();
            File config = BridgeProcess.config(dir, "kube2kafka {\n kubernetes.url = \"" + server.url() + "\"\n"
                    + " kafka.bootstrap-servers = \"127.0.0.1:" + closedKafkaPort + "\"\n"
                    + " http.address = \"127.0.0.1\"\n http.port = " + httpPort + "\n resources = [ pods ] }");
            try (BridgeProcess bridge = BridgeProcess.start(dir, "run", "--config", config.getPath())) {
                Await.until(() -> answers(httpPort, "/readyz") && Scrape.get(httpPort, "/readyz").body().contains("topic creation"),
                        Duration.ofSeconds(60), () -> "/readyz names the step start-up waits on; log:\n" + bridge.log());
                HttpResponse<String> readyz = Scrape.get(httpPort, "/readyz");
                assertEquals(503, readyz.statusCode(), readyz.body());
                assertTrue(readyz.body().contains("waiting on topic creation") && readyz.body().contains("127.0.0.1:" + closedKafkaPort),
                        "names the step and the Kafka it waits for: " + readyz.body());
                assertEquals(200, Scrape.get(httpPort, "/healthz").statusCode(), "alive while it waits");
                String metrics = Scrape.get(httpPort, "/metrics").body();
                assertTrue(metrics.contains("kube2kafka_build_info{"), "the build is on /metrics from the start:\n" + metrics);
                assertEquals(0, bridge.terminate(), "SIGTERM during start-up is a clean stop; log:\n" + bridge.log());
            }
        }
    }

    private static boolean answers(int port, String path) {
        try {
            Scrape.get(port, path);
            return true;
        } catch (UncheckedIOException e) {
            return false; // not listening yet: the JVM is still starting
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
