package io.kube2kafka.watch;

import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscoveryTest {
    @AutoClose
    private final SimulatedApiServer server = WidgetsCluster.start();
    private final Discovery discovery = new Discovery(WidgetsCluster.client(server));

    @Test
    void resolvesKubectlSpellings() throws Exception {
        assertEquals(new ApiResource("", "v1", "pods", "Pod", true), discovery.resolve("pods"));
        assertEquals("apps/v1/deployments", discovery.resolve("deployments.apps").qualifiedName());
        assertEquals("apps/v1/deployments", discovery.resolve("deployments.v1.apps").qualifiedName());
        assertEquals("example.com/v1/widgets", discovery.resolve("widgets.example.com").qualifiedName());
        assertEquals("Widget", discovery.resolve("widgets.example.com").kind());
        assertEquals("core/v1/pods", discovery.resolve("po").qualifiedName(), "short names");
        assertEquals("core/v1/pods", discovery.resolve("pod").qualifiedName(), "singular names");
        assertEquals("core/v1/events", discovery.resolve("events").qualifiedName(), "the core group wins for unqualified names");
        assertEquals("core/v1/namespaces", discovery.resolve("namespaces").qualifiedName());
    }

    @Test
    void anUnknownResourceIsAnErrorThatNamesIt() {
        UnknownResourceException unknown = assertThrows(UnknownResourceException.class, () -> discovery.resolve("gizmos.example.com"));
        assertTrue(unknown.getMessage().contains("gizmos.example.com"), unknown.getMessage());
        assertThrows(UnknownResourceException.class, () -> discovery.resolve("nopes"));
        assertThrows(UnknownResourceException.class, () -> discovery.resolve("deployments.v9.apps"));
    }

    @Test
    void anAggregatedGroupThatIsDownLeavesTheOtherGroupsResolvable() throws Exception {
        try (SimulatedApiServer cluster = SimulatedApiServer.builder().build().start()) {
            cluster.addStandardResources();
            // Listed before the CRD, so an unqualified name is looked for in it first, as kubectl does.
            cluster.addResource(new SimResource("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false));
            cluster.addResource(new SimResource("example.com", "v1", "widgets", "Widget", true));
            cluster.setGroupUnavailable("metrics.k8s.io", true);
            Discovery partial = new Discovery(new ApiClient(ClusterConnection.plain(cluster.url().toString(), null), Duration.ofSeconds(30)));

            assertEquals("core/v1/pods", partial.resolve("pods").qualifiedName());
            assertEquals("apps/v1/deployments", partial.resolve("deployments.apps").qualifiedName());
            assertEquals("example.com/v1/widgets", partial.resolve("widgets").qualifiedName(),
                    "found in a group after the one that did not answer");

            GroupDiscoveryFailedException inFailedGroup = assertThrows(GroupDiscoveryFailedException.class,
                    () -> partial.resolve("nodes.metrics.k8s.io"));
            assertTrue(inFailedGroup.getMessage().contains("\"nodes.metrics.k8s.io\" is not resolved yet: discovery of "
                    + "metrics.k8s.io/v1beta1 failed (HTTP 503 ServiceUnavailable"), inFailedGroup.getMessage());
            GroupDiscoveryFailedException maybeInFailedGroup = assertThrows(GroupDiscoveryFailedException.class,
                    () -> partial.resolve("gizmos"), "not \"unknown\" while a group it could be in did not answer");
            assertEquals(List.of("metrics.k8s.io/v1beta1"), List.copyOf(maybeInFailedGroup.failedGroups().keySet()));

            cluster.setGroupUnavailable("metrics.k8s.io", false);
            assertEquals("metrics.k8s.io/v1beta1/nodes", partial.resolve("nodes.metrics.k8s.io").qualifiedName(),
                    "resolved once the group answers: a failure is not cached");
            assertThrows(UnknownResourceException.class, () -> partial.resolve("gizmos"));
        }
    }

    @Test
    void aResourceWithoutListOrWatchIsAConfigurationErrorNamingIt() {
        server.setVerbs("configmaps", "get", "list");
        server.setVerbs("services", "create");

        UnknownResourceException noWatch = assertThrows(UnknownResourceException.class, () -> discovery.resolve("cm"));
        assertEquals("resource \"cm\" (core/v1/configmaps) cannot be streamed: the API server allows only [get, list] on it, "
                + "and the bridge needs list and watch; remove it from resources", noWatch.getMessage());
        UnknownResourceException noList = assertThrows(UnknownResourceException.class, () -> discovery.resolve("services"));
        assertTrue(noList.getMessage().contains("allows only [create]"), noList.getMessage());
    }
}
