package io.kube2kafka.bridge;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.ops.OpsServer;
import io.kube2kafka.ops.Scrape;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.ExactlyOnce;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.TopicContents;
import io.kube2kafka.watch.KnownObjects;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchSink;
import io.kube2kafka.watch.WatchStatus;
import io.kube2kafka.watch.WatchTarget;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures no one planned for (a credential plugin that fails, a bug, Kafka unreachable while the
 * topic is read) never end a watch unnoticed: each is logged, counted in
 * kube2kafka_watch_unexpected_errors, named by /readyz while the watch is down, and retried until
 * the topic follows the cluster again.
 */
@ExtendWith(KafkaBroker.class)
class WatchFailureTest {
    @AutoClose
    private final SimulatedApiServer server = SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(300))
            .build().start().addStandardResources();
    /** What /readyz answered each time a watcher paused after a failure, i.e. while it was down. */
    private final List<String> readyzWhilePaused = new CopyOnWriteArrayList<>();
    private final AtomicReference<OpsServer> ops = new AtomicReference<>();

    /** Reads /readyz while the watcher is paused after a failure (it is FAILING then), and waits briefly. */
    private Pauser readyzRecording() {
        return pause -> {
            OpsServer current = ops.get();
            if (current != null) {
                readyzWhilePaused.add(Scrape.get(current.port(), "/readyz").body());
            }
            Thread.sleep(Math.min(pause.toMillis(), 200));
        };
    }

    private static double errors(OpsServer ops, String cause) {
        double count = Scrape.sample(Scrape.get(ops.port(), "/metrics").body(), "kube2kafka_watch_errors_total",
                Map.of("resource", "core/v1/pods", "cause", cause));
        return Double.isNaN(count) ? 0 : count;
    }

    private static double unexpectedErrors(OpsServer ops, String cause) {
        double count = Scrape.sample(Scrape.get(ops.port(), "/metrics").body(), "kube2kafka_watch_unexpected_errors_total",
                Map.of("resource", "core/v1/pods", "cause", cause));
        return Double.isNaN(count) ? 0 : count;
    }

    private void assertReadyzNamedTheWatch(BridgeHarness harness, String cause) {
        String watch = "watch " + harness.cluster() + "/core/pods: failing since ";
        // Awaited: the watcher counts the failure before its pause asks /readyz.
        Await.until(() -> readyzWhilePaused.stream().anyMatch(r -> r.startsWith("not ready") && r.lines()
                        .anyMatch(line -> line.startsWith(watch) && line.contains(cause))), Duration.ofSeconds(30),
                "/readyz named the watch and the cause (" + cause + ") while it was down: " + readyzWhilePaused);
    }

    @Test
    void aCredentialPluginThatFailsOnceIsLoggedCountedAndRetriedAndTheTopicFollowsTheCluster(EmbeddedKafkaBroker broker,
                                                                                          @TempDir Path dir) throws Exception {
        Path failNextRun = dir.resolve("fail-next-run");
        Path kubeconfig = execKubeconfig(dir, failNextRun);
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 21);
        churn.populate(5);
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]\n kubernetes.url = \"\"\n"
                + " kubernetes.kubeconfig = \"" + kubeconfig + "\"");
        try (Bridge bridge = harness.start(readyzRecording()); OpsServer opsServer = OpsServer.start("127.0.0.1", 0, bridge)) {
            ops.set(opsServer);
            BridgeHarness.awaitWatching(bridge);
            long after = Long.parseLong(server.currentResourceVersion());
            WatchStatus status = bridge.watchStatuses().get(0);
            // The plugin's next run fails, as a cloud identity service that times out once; the reconnect asks for it.
            Files.createFile(failNextRun);
            server.dropWatchConnectionsMidLine();
            churn.churn(10);
            // A plugin run that fails is an IOException naming the plugin (ExecCredentialPlugin): the watch
            // retries it with backoff as it would a network error, and it is no bug.
            Await.until(() -> status.errors().getOrDefault("IOException", 0L) >= 1, Duration.ofSeconds(30),
                    () -> "the plugin's failure reached the watch: " + status.errors());
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertTrue(errors(opsServer, "IOException") >= 1, "counted in /metrics");
            assertEquals(Map.of(), status.unexpectedErrors(), "a failing plugin is an expected failure, not a bug");
            assertReadyzNamedTheWatch(harness, "exited with status 1");
            assertTrue(readyzWhilePaused.stream().anyMatch(r -> r.contains("exited with status 1")), "with the plugin's error: " + readyzWhilePaused);
            Await.until(() -> Scrape.get(opsServer.port(), "/readyz").statusCode() == 200, Duration.ofSeconds(30), "ready again");
            ExactlyOnce.assertEveryChangeExactlyOnce(harness.read("core", "pods"), server.changes("pods"), after);
        }
    }

    @Test
    void aBugThatThrowsOnceIsLoggedCountedAndRetriedAndNothingIsLostOrDoubled(EmbeddedKafkaBroker broker) throws Exception {
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 22);
        churn.populate(5);
        AtomicBoolean armed = new AtomicBoolean();
        UnaryOperator<WatchSink> throwingOnce = publisher -> new WatchSink() {
            @Override
            public void accept(WatchBatch batch) throws InterruptedException {
                if (!batch.events().isEmpty() && armed.compareAndSet(true, false)) {
                    throw new IllegalStateException("a bug the test injected");
                }
                publisher.accept(batch);
            }

            @Override
            public KnownObjects knownObjects(WatchTarget target) throws InterruptedException {
                return publisher.knownObjects(target);
            }
        };
        BridgeHarness harness = new BridgeHarness(broker, server, "resources = [ pods ]");
        try (Bridge bridge = Bridge.start(harness.settings(), readyzRecording(), throwingOnce);
             OpsServer opsServer = OpsServer.start("127.0.0.1", 0, bridge)) {
            ops.set(opsServer);
            BridgeHarness.awaitWatching(bridge);
            long after = Long.parseLong(server.currentResourceVersion());
            WatchStatus status = bridge.watchStatuses().get(0);
            armed.set(true);
            churn.churn(15);
            Await.until(() -> !armed.get() && status.unexpectedErrors().getOrDefault("IllegalStateException", 0L) == 1,
                    Duration.ofSeconds(30), "the injected bug hit the watch: " + status.errors());
            harness.awaitTopicMatchesCluster("pods", "core", "pods");
            assertEquals(1.0, unexpectedErrors(opsServer, "IllegalStateException"), "counted in /metrics");
            assertReadyzNamedTheWatch(harness, "IllegalStateException: a bug the test injected");
            ExactlyOnce.assertEveryChangeExactlyOnce(harness.read("core", "pods"), server.changes("pods"), after);
        }
    }

    @Test
    void kafkaUnreachableWhileTheTopicIsReadForARelistIsRetriedUntilTheBrokerIsBack(@TempDir Path dataDir) throws Exception {
        EmbeddedKafkaBroker own = new EmbeddedKafkaBroker(dataDir, 0, Map.of()).start();
        int port = Integer.parseInt(own.bootstrapServers().substring(own.bootstrapServers().lastIndexOf(':') + 1));
        ClusterChurn churn = new ClusterChurn(server, List.of("pods"), 23);
        churn.populate(8);
        BridgeHarness harness = new BridgeHarness(own, server, "resources = [ pods ]\n watch.idle-timeout = 1s\n"
                + " kafka.producer { \"max.block.ms\" = 2000, \"delivery.timeout.ms\" = 3000, \"request.timeout.ms\" = 1000 }");
        try {
            try (Bridge first = harness.startWatching()) {
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
            }
            // Resumed from its checkpoint, the second bridge has not read the topic yet: its first list will.
            try (Bridge bridge = harness.start(readyzRecording()); OpsServer opsServer = OpsServer.start("127.0.0.1", 0, bridge)) {
                ops.set(opsServer);
                BridgeHarness.awaitWatching(bridge);
                WatchStatus status = bridge.watchStatuses().get(0);
                String watch = status.target().key();
                churn.churn(3);
                Await.until(() -> server.currentResourceVersion().equals(bridge.publisher().stats().committedResourceVersions().get(watch)),
                        Duration.ofSeconds(30), "the bridge committed every change");
                // Nothing changes while the broker stops, so nothing waits to be published: the relist goes straight to reading the topic.
                own.close();
                java.util.Set<String> liveBefore = harness.live("pods").keySet();
                // Changes the open watch must not see (it reconnects after watch.idle-timeout, from an expired resourceVersion).
                server.silenceWatchConnections();
                for (int i = 0; i < 3; i++) {
                    churn.deleteOne();
                }
                churn.churn(5);
                server.compact();
                // The silent watch hits watch.idle-timeout, reconnects, gets 410 and lists: reading the topic fails.
                Await.until(() -> status.unexpectedErrors().getOrDefault("TimeoutException", 0L) >= 1, Duration.ofSeconds(150),
                        "reading the topic with the broker down failed: " + status.errors());
                assertReadyzNamedTheWatch(harness, "TimeoutException");
                assertTrue(unexpectedErrors(opsServer, "TimeoutException") >= 1, "counted in /metrics");
                own = new EmbeddedKafkaBroker(dataDir, port, Map.of()).start();
                harness.awaitTopicMatchesCluster("pods", "core", "pods");
                BridgeHarness.awaitWatching(bridge);
                java.util.Set<String> vanished = new java.util.HashSet<>(liveBefore);
                vanished.removeAll(harness.live("pods").keySet());
                List<String> derived = harness.read("core", "pods").events().stream()
                        .filter(r -> "list".equals(TopicContents.header(r, "kube2kafka.origin")) && "DELETED".equals(TopicContents.header(r, "k8s.type")))
                        .map(r -> TopicContents.header(r, "k8s.uid")).sorted().toList();
                assertEquals(vanished.stream().sorted().toList(), derived, "each deletion made while the broker was down, derived once");
            }
        } finally {
            own.close();
        }
    }

    /** A kubeconfig whose exec credential plugin fails once whenever {@code failNextRun} exists (and removes it). */
    private Path execKubeconfig(Path dir, Path failNextRun) throws IOException {
        Path plugin = dir.resolve("credential-plugin");
        Files.writeString(plugin, """
                #!/bin/sh
                if [ -f "$1" ]; then
                  rm -f "$1"
                  echo "the identity service did not answer" >&2
                  exit 1
                fi
                # Expired at once: the plugin runs for every request, as one whose tokens live for seconds.
                echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"2000-01-01T00:00:00Z"}}'
                """);
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sim
                  cluster:
                    server: "%s"
                users:
                - name: plugin
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: "%s"
                      args: ["%s"]
                      interactiveMode: Never
                contexts:
                - name: sim
                  context:
                    cluster: sim
                    user: plugin
                current-context: sim
                """.formatted(server.url(), plugin, failNextRun));
        return kubeconfig;
    }
}
