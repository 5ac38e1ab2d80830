package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.SeveralClusters;
import io.kube2kafka.watch.Pauser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Kafka is down when a cluster that was unreachable at start-up answers at last: creating its topics
 * fails for a while. That cluster waits for Kafka; the bridge, and the clusters already streaming, go on.
 */
class LateClusterKafkaOutageTest {

    @Test
    void topicCreationForALateClusterRetriesUntilKafkaIsBackAndStopsNothingElse(@TempDir Path dataDir) throws Exception {
        EmbeddedKafkaBroker own = new EmbeddedKafkaBroker(dataDir, 0, Map.of()).start();
        int port = Integer.parseInt(own.bootstrapServers().substring(own.bootstrapServers().lastIndexOf(':') + 1));
        try (SimulatedApiServer serverA = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500)).build().start().addStandardResources();
             SimulatedApiServer serverB = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500)).build().start().addStandardResources()) {
            BridgeHarness a = new BridgeHarness(own, serverA, "");
            BridgeHarness b = new BridgeHarness(own, serverB, "");
            ClusterChurn churnA = new ClusterChurn(serverA, List.of("pods"), 41);
            churnA.populate(5);
            new ClusterChurn(serverB, List.of("pods"), 42).populate(6);
            serverB.failNextRequests(Integer.MAX_VALUE, 503, null);
            BridgeSettings settings = SeveralClusters.settingsWith(own, a,
                    "kafka.producer { \"max.block.ms\" = 2000, \"delivery.timeout.ms\" = 3000, \"request.timeout.ms\" = 1000 }",
                    SeveralClusters.entry(a, serverA.url().toString(), "[pods]", ""),
                    SeveralClusters.entry(b, serverB.url().toString(), "[pods]", ""));

            try (Bridge bridge = Bridge.start(settings, Pauser.REAL)) {
                SeveralClusters.awaitWatching(bridge, a.cluster());
                a.awaitTopicMatchesCluster("pods", "core", "pods");

                own.close();
                serverB.failNextRequests(0, 503, null);
                Await.until(() -> bridge.waitingClusters().getOrDefault(b.cluster(), "").contains("waiting for Kafka") || bridge.stopped().isDone(),
                        Duration.ofSeconds(90), "cluster " + b.cluster() + " waits for Kafka: " + bridge.waitingClusters());
                assertNull(bridge.stopped().getNow(null), "the bridge keeps running while Kafka is down");
                churnA.churn(10);

                own = new EmbeddedKafkaBroker(dataDir, port, Map.of()).start();
                SeveralClusters.awaitWatching(bridge, b.cluster());
                b.awaitTopicMatchesCluster("pods", "core", "pods");
                a.awaitTopicMatchesCluster("pods", "core", "pods");
                assertEquals(Map.of(), bridge.waitingClusters());
                assertNull(bridge.stopped().getNow(null));
            }
        } finally {
            own.close();
        }
    }
}
