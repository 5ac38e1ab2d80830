package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.Http2Transport;
import io.kube2kafka.sim.RecordedRequest;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.FreezingRelay;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.LoopbackTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How many TCP connections the bridge holds to one API server while N watches stream, counted by a
 * relay in between (README, "Reaching the cluster"): one over HTTP/2, one per watch over HTTP/1.1.
 */
@ExtendWith(KafkaBroker.class)
class ConnectionsPerWatchTest {
    private static final String RESOURCES = "resources = [ pods, configmaps, secrets, services, deployments.apps, widgets.example.com ]";
    private static final int WATCHES = 6;

    @TempDir
    Path dir;

    @Test
    void http2PutsEveryWatchOnOneConnection(EmbeddedKafkaBroker broker) throws Exception {
        assertEquals(1, connectionsWhileWatching(broker, true, "HTTP/2.0"));
    }

    @Test
    void http11TakesOneConnectionPerWatch(EmbeddedKafkaBroker broker) throws Exception {
        int connections = connectionsWhileWatching(broker, false, "HTTP/1.1");
        if (connections < WATCHES) {
            throw new AssertionError("HTTP/1.1 cannot multiplex, so " + WATCHES + " open watches need " + WATCHES
                    + " connections; the relay saw " + connections);
        }
    }

    private int connectionsWhileWatching(EmbeddedKafkaBroker broker, boolean http2, String protocol) throws Exception {
        LoopbackTls tls = LoopbackTls.issue(dir);
        try (SimulatedApiServer server = BridgeHarness.hostileCluster(41, Http2Transport.overTls(tls.server()));
             FreezingRelay relay = FreezingRelay.to(server.url())) {
            BridgeHarness harness = new BridgeHarness(broker, server, "kubernetes { url = \"" + relay.url() + "\", ca-file = \""
                    + tls.caFile() + "\", http2 = " + http2 + " }\n " + RESOURCES + "\n watch.timeout = 5m");
            try (Bridge bridge = harness.start()) {
                BridgeHarness.awaitWatching(bridge);
                Await.until(() -> server.openWatchCount() == WATCHES, Duration.ofSeconds(60), "the server streams every watch");
                assertEquals(List.of(protocol), server.requests().stream().map(RecordedRequest::protocol).distinct().toList());
                int connections = relay.liveConnections();
                System.out.printf("%s: %d watches streaming over %d connection(s); %d accepted since start%n",
                        protocol, WATCHES, connections, relay.connectionsAccepted());
                return connections;
            }
        }
    }
}
