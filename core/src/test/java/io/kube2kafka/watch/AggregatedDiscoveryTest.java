package io.kube2kafka.watch;

import io.kube2kafka.sim.RecordedRequest;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery of a cluster with many CRDs takes two requests where the API server offers aggregated
 * discovery, and finds exactly what the per-group-version documents of an older server give.
 */
class AggregatedDiscoveryTest {
    private static final int CRDS = 40;
    @AutoClose
    private final SimulatedApiServer server = WidgetsCluster.start();

    @BeforeEach
    void start() {
        server.addResource(new SimResource("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false));
        for (int i = 0; i < CRDS; i++) {
            server.addResource(new SimResource("group" + i + ".example.com", "v1", "gadgets" + i, "Gadget" + i, i % 2 == 0));
        }
    }

    @Test
    void aDiscoveryRoundIsTwoRequestsAndFindsWhatThePerGroupDocumentsFind() throws Exception {
        server.setAggregatedDiscovery(false);
        ServedResources legacy = new Discovery(WidgetsCluster.client(server)).watchableResources();
        int legacyRequests = discoveryRequests().size();

        server.setAggregatedDiscovery(true);
        server.clearRequests();
        ServedResources aggregated = new Discovery(WidgetsCluster.client(server)).watchableResources();

        assertEquals(List.of("/api", "/apis"), discoveryRequests().stream().map(RecordedRequest::path).toList(),
                "one aggregated document each for the core group and the others");
        assertTrue(legacyRequests > CRDS + 2, "without it, one request per group version: " + legacyRequests);
        assertEquals(legacy.resources(), aggregated.resources(), "the same resources, versions, kinds and scopes");
        assertTrue(aggregated.resources().contains(new ApiResource("group7.example.com", "v1", "gadgets7", "Gadget7", false)));
        assertEquals(Set.of(), aggregated.failedGroups());
    }

    @Test
    void kubectlSpellingsResolveFromTheAggregatedDocuments() throws Exception {
        Discovery discovery = new Discovery(WidgetsCluster.client(server));
        assertEquals("core/v1/pods", discovery.resolve("po").qualifiedName(), "short names");
        assertEquals("core/v1/pods", discovery.resolve("pod").qualifiedName(), "singular names");
        assertEquals("core/v1/events", discovery.resolve("events").qualifiedName(), "the core group wins for unqualified names");
        assertEquals("apps/v1/deployments", discovery.resolve("deployments.v1.apps").qualifiedName());
        assertEquals("group3.example.com/v1/gadgets3", discovery.resolve("gadgets3").qualifiedName());
        assertEquals(List.of("/api", "/apis"), discoveryRequests().stream().map(RecordedRequest::path).toList());
    }

    @Test
    void aStaleGroupVersionFailsAsItsOwnEndpointDoesAndIsReadAgainOnceItAnswers() throws Exception {
        server.setGroupUnavailable("metrics.k8s.io", true);
        Discovery discovery = new Discovery(WidgetsCluster.client(server));

        ServedResources served = discovery.watchableResources();
        assertEquals(Set.of("metrics.k8s.io/v1beta1"), served.failedGroupVersions().keySet(), "marked Stale in the aggregated document");
        assertTrue(served.resources().stream().anyMatch(r -> r.plural().equals("gadgets39")), "the other groups resolve");
        GroupDiscoveryFailedException waiting = assertThrows(GroupDiscoveryFailedException.class, () -> discovery.resolve("nodes.metrics.k8s.io"));
        assertTrue(waiting.getMessage().contains("metrics.k8s.io/v1beta1 failed (HTTP 503"), waiting.getMessage());

        server.setGroupUnavailable("metrics.k8s.io", false);
        assertEquals("metrics.k8s.io/v1beta1/nodes", discovery.resolve("nodes.metrics.k8s.io").qualifiedName(),
                "a stale group version is never remembered as failed");
    }

    private List<RecordedRequest> discoveryRequests() {
        return server.requests().stream().filter(RecordedRequest::isDiscovery).toList();
    }
}
