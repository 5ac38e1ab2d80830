package io.kube2kafka.watch;

import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;

import java.time.Duration;

/**
 * The simulated cluster the discovery tests resolve names against: the standard resources plus one
 * custom resource, example.com/v1 widgets.
 */
public final class WidgetsCluster {
    private WidgetsCluster() {
    }

    /** A started server; the caller closes it. */
    public static SimulatedApiServer start() {
        SimulatedApiServer server = SimulatedApiServer.builder().build().start();
        server.addStandardResources();
        server.addResource(new SimResource("example.com", "v1", "widgets", "Widget", true));
        return server;
    }

    /** A plain-HTTP client of that server, as the bridge builds one. */
    public static ApiClient client(SimulatedApiServer server) {
        return new ApiClient(ClusterConnection.plain(server.url().toString(), null), Duration.ofSeconds(30));
    }
}
