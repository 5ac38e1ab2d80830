package io.kube2kafka.watch;

import io.kube2kafka.cluster.ConnectionResolver;
import io.kube2kafka.cluster.ConnectionSettings;
import io.kube2kafka.sim.Http2Transport;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.FreezingRelay;
import io.kube2kafka.testing.LoopbackTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection that goes silent (no bytes, no FIN) is found and never used again, on either protocol.
 * A relay between the client and the simulated API server freezes the connections.
 */
class DeadConnectionTest {
    private static final int MAX_LINE = 1 << 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pingsFailAFrozenHttp2ConnectionWithEveryWatchOnItAndTheNextWatchGetsANewOne() throws Exception {
        LoopbackTls tls = LoopbackTls.issue(dir);
        try (SimulatedApiServer server = SimulatedApiServer.builder().transport(Http2Transport.overTls(tls.server())).build().start();
             FreezingRelay relay = FreezingRelay.to(server.url())) {
            server.addStandardResources();
            ConnectionSettings settings = new ConnectionSettings("", "", relay.url().toString(), "", "", tls.caFile().toString(), false, true);
            ClusterConnection connection = new ConnectionResolver(Map.of(), dir, dir, Clock.systemUTC()).resolve(settings);
            // The idle guard is kept out of the way (10 min), so only the PINGs can find the dead connection. Pings
            // 2 s apart leave a loaded machine time to answer each (a missed pong drops even a live connection).
            ApiClient client = new ApiClient(connection, Duration.ofMinutes(10), Duration.ofSeconds(2));
            String version = server.currentResourceVersion();
            try (ApiClient.WatchStream pods = client.watch("/api/v1/pods", Map.of("watch", "1", "resourceVersion", version));
                 ApiClient.WatchStream configmaps = client.watch("/api/v1/configmaps", Map.of("watch", "1", "resourceVersion", version))) {
                assertEquals(1, relay.connectionsAccepted(), "both watches share one HTTP/2 connection");
                relay.freezeOpenConnections();
                server.create("pods", "default", "lost-in-the-freeze", Map.of());
                server.create("configmaps", "default", "lost-in-the-freeze", Map.of());
                assertThrows(IOException.class, () -> new WatchLineReader(pods.body(), MAX_LINE).nextLine(), "the pods watch fails");
                assertThrows(IOException.class, () -> new WatchLineReader(configmaps.body(), MAX_LINE).nextLine(), "the configmaps watch fails");
            }
            try (ApiClient.WatchStream again = client.watch("/api/v1/pods", Map.of("watch", "1", "resourceVersion", version))) {
                String line = new String(new WatchLineReader(again.body(), MAX_LINE).nextLine(), StandardCharsets.UTF_8);
                assertTrue(line.contains("lost-in-the-freeze"), "the resumed watch replays the event: " + line);
            }
            assertEquals(2, relay.connectionsAccepted(), "the resumed watch opened a new connection, not the frozen one");
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRetryNeverTakesAPooledHttp11ConnectionThatFroze() throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(200)).build().start();
             FreezingRelay relay = FreezingRelay.to(server.url())) {
            server.addStandardResources();
            ApiClient client = new ApiClient(ClusterConnection.plain(relay.url().toString(), null), Duration.ofSeconds(5));
            String version = server.currentResourceVersion();
            Map<String, String> longWatch = Map.of("watch", "1", "resourceVersion", version, "allowWatchBookmarks", "true");
            try (ApiClient.WatchStream open = client.watch("/api/v1/configmaps", longWatch)) {
                // A watch that ends at its timeoutSeconds leaves its connection idle in the pool, as watches do all day.
                try (ApiClient.WatchStream brief = client.watch("/api/v1/pods", Map.of("watch", "1", "timeoutSeconds", "1"))) {
                    brief.body().readAllBytes();
                }
                assertEquals(2, relay.connectionsAccepted(), "HTTP/1.1: one connection per watch");
                relay.freezeOpenConnections(); // the open watch's connection and the idle one
                IOException silent = assertThrows(IOException.class, () -> {
                    WatchLineReader reader = new WatchLineReader(open.body(), MAX_LINE);
                    while (true) {
                        reader.nextLine(); // bookmarks until the freeze
                    }
                });
                assertInstanceOf(SocketTimeoutException.class, silent, "the idle guard gave up on the watch");
            }
            server.create("configmaps", "default", "after-the-freeze", Map.of());
            try (ApiClient.WatchStream retry = client.watch("/api/v1/configmaps", Map.of("watch", "1", "resourceVersion", version))) {
                String line = new String(new WatchLineReader(retry.body(), MAX_LINE).nextLine(), StandardCharsets.UTF_8);
                assertTrue(line.contains("after-the-freeze"), line);
            }
            assertEquals(3, relay.connectionsAccepted(), "the retry opened a new connection, not the frozen idle one");
        }
    }
}
