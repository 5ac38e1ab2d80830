package io.kube2kafka.watch;

import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscoveryTest {
    private SimulatedApiServer server;
    private Discovery discovery;

    @BeforeEach
    void start() {
        server = SimulatedApiServer.builder().build().start();
        server.addStandardResources();
        server.addResource(new SimResource("example.com", "v1", "widgets", "Widget", true));
        discovery = new Discovery(new ApiClient(ClusterConnection.plain(server.url().toString(), null), Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

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
}
