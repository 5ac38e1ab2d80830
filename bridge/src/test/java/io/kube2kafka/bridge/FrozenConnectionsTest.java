package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.Http2Transport;
import io.kube2kafka.sim.RecordedRequest;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.ExactlyOnce;
import io.kube2kafka.testing.FreezingRelay;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.LoopbackTls;
import io.kube2kafka.watch.WatchStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections that go silent (no bytes, no FIN) mid-churn, as after a load-balancer failover or a node
 * crash, with both protocols a real API server speaks. The simulated server offers HTTP/2 over TLS by
 * ALPN, as kube-apiserver does; a relay between it and the bridge freezes every open connection,
 * twice, while new connections pass. The bridge must find the dead connections, stream again on new
 * ones, and lose and double nothing.
 */
@ExtendWith(KafkaBroker.class)
class FrozenConnectionsTest {
    /** Above the simulator's 300 ms bookmarks, so only a dead connection is this silent. */
    private static final String WATCH = "watch { idle-timeout = 2s, ping-interval = 2s }";
    private static final List<String> RESOURCES = List.of("pods", "configmaps");

    @TempDir
    Path dir;

    @Test
    void watchesSharingOneHttp2ConnectionRecoverWhenItFreezesTwice(EmbeddedKafkaBroker broker) throws Exception {
        recoverFromTwoFreezes(broker, true, "HTTP/2.0");
    }

    @Test
    void watchesOnHttp11ConnectionsRecoverWhenTheyFreezeTwice(EmbeddedKafkaBroker broker) throws Exception {
        recoverFromTwoFreezes(broker, false, "HTTP/1.1");
    }

    private void recoverFromTwoFreezes(EmbeddedKafkaBroker broker, boolean http2, String protocol) throws Exception {
        LoopbackTls tls = LoopbackTls.issue(dir);
        try (SimulatedApiServer server = BridgeHarness.hostileCluster(31, Http2Transport.overTls(tls.server()));
             FreezingRelay relay = FreezingRelay.to(server.url())) {
            ClusterChurn churn = new ClusterChurn(server, RESOURCES, 32);
            churn.populate(10);
            BridgeHarness harness = new BridgeHarness(broker, server, "kubernetes { url = \"" + relay.url() + "\", ca-file = \""
                    + tls.caFile() + "\", http2 = " + http2 + " }\n resources = [ pods, configmaps ]\n " + WATCH);
            try (Bridge bridge = harness.start()) {
                BridgeHarness.awaitWatching(bridge);
                long after = Long.parseLong(server.currentResourceVersion());
                for (int freeze = 1; freeze <= 2; freeze++) {
                    churn.churn(15);
                    int frozen = relay.freezeOpenConnections();
                    assertTrue(frozen >= 1, "connections were open to freeze");
                    churn.churn(15); // these events are written into frozen connections first
                    awaitTopicsMatchCluster(harness, bridge);
                }
                churn.churn(15);
                awaitTopicsMatchCluster(harness, bridge);
                ExactlyOnce.assertEveryChangeExactlyOnce(harness.read("core", "pods"), server.changes("pods"), after);
                ExactlyOnce.assertEveryChangeExactlyOnce(harness.read("core", "configmaps"), server.changes("configmaps"), after);
                assertEquals(List.of(protocol), server.requests().stream().map(RecordedRequest::protocol).distinct().toList(),
                        "every request went over " + protocol);
                for (WatchStatus status : bridge.watchStatuses()) {
                    assertEquals(0, status.relists(), "a dead connection calls for a new watch, never a list: " + status.target());
                }
            }
        }
    }

    private static void awaitTopicsMatchCluster(BridgeHarness harness, Bridge bridge) {
        try {
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            harness.awaitTopicMatchesCluster("configmaps", "core", "configmaps");
        } catch (AssertionError stalled) {
            throw new AssertionError(stalled.getMessage() + "; watch errors: "
                    + bridge.watchStatuses().stream().map(s -> s.target() + "=" + s.errors()).toList(), stalled);
        }
    }
}
