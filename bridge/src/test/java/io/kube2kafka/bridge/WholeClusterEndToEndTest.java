package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.watch.KnownObjects;
import io.kube2kafka.watch.ListCause;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchSink;
import io.kube2kafka.watch.WatchStatus;
import io.kube2kafka.watch.WatchTarget;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * resources = ["*"] through the real broker: the default exclude leaves events out, a CRD installed
 * mid-run is streamed within watch.discovery-interval, and a CRD removed has its watch stopped, with its
 * objects' deletions in the topic and every other watch undisturbed.
 */
@ExtendWith(KafkaBroker.class)
class WholeClusterEndToEndTest {
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final SimResource GADGETS = new SimResource("example.com", "v1", "gadgets", "Gadget", true);

    @AutoClose
    private final SimulatedApiServer server = BridgeHarness.hostileCluster(12);

    @Test
    void aCrdInstalledMidRunIsStreamedAndOneRemovedStopsItsWatchAlone(EmbeddedKafkaBroker broker) throws Exception {
        server.create("pods", "default", "p1", Map.of());
        server.create("events", "default", "e1", Map.of());
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [\"*\"]\n watch.discovery-interval = 300ms");
        // Why each watch listed, from the summary on its list's last batch.
        Map<String, ListCause> listCauses = new ConcurrentHashMap<>();
        try (Bridge bridge = Bridge.start(harness.settings(), Pauser.REAL, publisher -> recordingCauses(publisher, listCauses))) {
            BridgeHarness.awaitWatching(bridge);
            List<String> watches = keys(bridge);
            String gadgets = harness.cluster() + "/example.com/gadgets";
            assertTrue(watches.containsAll(List.of(harness.cluster() + "/core/pods", harness.cluster() + "/example.com/widgets")), watches.toString());
            assertFalse(watches.stream().anyMatch(key -> key.endsWith("/events")), "events are excluded by default: " + watches);
            assertEquals(List.of(), harness.read("core", "events").records(), "no events topic is written");

            server.addResource(GADGETS);
            server.create("gadgets.example.com", "default", "g1", Map.of());
            Await.until(() -> keys(bridge).contains(gadgets), WITHIN, "the new resource gets a watch: " + keys(bridge));
            harness.awaitTopicMatchesCluster("gadgets.example.com", "example.com", "gadgets");
            server.create("gadgets.example.com", "default", "g2", Map.of());
            harness.awaitTopicMatchesCluster("gadgets.example.com", "example.com", "gadgets");
            assertEquals(2, harness.read("example.com", "gadgets").liveResourceVersions().size());
            assertEquals(ListCause.DISCOVERED, listCauses.get(gadgets), "its first list says it was discovered: " + listCauses);
            assertEquals(ListCause.FIRST_START, listCauses.get(harness.cluster() + "/core/pods"), listCauses.toString());

            server.removeResource("gadgets.example.com");
            Await.until(() -> !keys(bridge).contains(gadgets), WITHIN, "the removed resource's watch stops: " + keys(bridge));
            assertTrue(bridge.retiredWatches().get(gadgets).contains("example.com/v1/gadgets is no longer served"),
                    bridge.retiredWatches().toString());
            Await.until(() -> harness.read("example.com", "gadgets").liveResourceVersions().isEmpty(), WITHIN,
                    "the objects' deletions reached the topic before the watch ended");

            server.create("pods", "default", "p2", Map.of());
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertTrue(bridge.watchStatuses().stream().allMatch(s -> s.state() == WatchStatus.State.WATCHING),
                    "nothing else was disturbed: " + bridge.watchStatuses().stream().map(s -> s.target() + "=" + s.state()).toList());

            server.addResource(GADGETS);
            server.create("gadgets.example.com", "default", "g3", Map.of());
            Await.until(() -> keys(bridge).contains(gadgets), WITHIN, "a CRD installed again is watched again");
            harness.awaitTopicMatchesCluster("gadgets.example.com", "example.com", "gadgets");
            assertFalse(bridge.retiredWatches().containsKey(gadgets));
        }
    }

    private static List<String> keys(Bridge bridge) {
        return bridge.watchStatuses().stream().map(WatchStatus::target).map(WatchTarget::key).toList();
    }

    private static WatchSink recordingCauses(WatchSink publisher, Map<String, ListCause> causes) {
        return new WatchSink() {
            @Override
            public void accept(WatchBatch batch) throws InterruptedException {
                if (batch.listSummary() != null) {
                    causes.put(batch.target().key(), batch.listSummary().cause());
                }
                publisher.accept(batch);
            }

            @Override
            public KnownObjects knownObjects(WatchTarget target) throws InterruptedException {
                return publisher.knownObjects(target);
            }
        };
    }
}
