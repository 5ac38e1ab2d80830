package io.kube2kafka.config;

import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.WatchTarget;
import io.kube2kafka.watch.WidgetsCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What following discovery changes: a resource installed appears, one removed vanishes, one whose group is down does not. */
class DiscoveryDiffTest {
    @AutoClose
    private final SimulatedApiServer server = WidgetsCluster.start();
    private final ApiClient api = WidgetsCluster.client(server);

    private List<WatchTarget> running() throws Exception {
        return TargetResolver.targetsOf("c", WholeCluster.resolve(new Discovery(api), ClusterSettings.DEFAULT_EXCLUDE).resources())
                .stream().map(t -> t.withClusterUid("uid-1")).toList();
    }

    private DiscoveryDiff diff(List<WatchTarget> running) throws Exception {
        return DiscoveryDiff.between(running, "c", WholeCluster.resolve(new Discovery(api), ClusterSettings.DEFAULT_EXCLUDE));
    }

    @Test
    void nothingChangesUntilDiscoveryDoes() throws Exception {
        assertTrue(diff(running()).isEmpty());
    }

    @Test
    void anInstalledResourceAppearsWithTheClusterIdentityAndARemovedOneVanishes() throws Exception {
        List<WatchTarget> running = running();
        server.addResource(new SimResource("example.com", "v1", "gadgets", "Gadget", true));
        server.removeResource("widgets.example.com");
        DiscoveryDiff diff = diff(running);
        assertEquals(List.of("c/example.com/gadgets"), diff.appeared().stream().map(WatchTarget::key).toList());
        assertEquals("uid-1", diff.appeared().get(0).clusterUid(), "a new watch carries the identity of the running ones");
        assertEquals(List.of("c/example.com/widgets"), diff.vanished().stream().map(WatchTarget::key).toList());
    }

    @Test
    void aGroupWhoseDiscoveryFailsStopsNothing() throws Exception {
        List<WatchTarget> running = running();
        server.setGroupUnavailable("example.com", true);
        assertTrue(diff(running).isEmpty(), "widgets are unknown while example.com does not answer, not gone");
    }
}
