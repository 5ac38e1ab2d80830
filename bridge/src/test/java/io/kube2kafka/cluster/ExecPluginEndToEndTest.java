package io.kube2kafka.cluster;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.broker.EmbeddedKafkaBroker;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.Await;
import io.kube2kafka.testing.BridgeHarness;
import io.kube2kafka.testing.KafkaBroker;
import io.kube2kafka.testing.SeveralClusters;
import io.kube2kafka.watch.Pauser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kubeconfig exec credential plugin that misbehaves the ways real ones do (an identity service that
 * fails, or never answers), with tokens that expire every two seconds, so the bridge runs it again and
 * again. Each test checks the records in the real broker: the topics follow the clusters.
 */
@ExtendWith(KafkaBroker.class)
class ExecPluginEndToEndTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path dir;

    /**
     * A plugin that hands out the token "exec-token", valid for two seconds. The test steers its next run
     * through the file {@code next}: {@code fail} (exit 1), or {@code hang} (start a child that keeps
     * stdout open, record both pids, wait for ever); a run consumes the word, and without one it succeeds.
     */
    private Path plugin() throws IOException {
        Path script = dir.resolve("credential-plugin");
        Files.writeString(script, """
                #!/bin/bash
                dir="$(dirname "$0")"
                echo run >> "$dir/runs"
                n=$(wc -l < "$dir/runs")
                mode=$(cat "$dir/next" 2>/dev/null)
                rm -f "$dir/next"
                case "$mode" in
                  fail) echo "identity service unavailable (run $n)" >&2; echo "$n" >> "$dir/failed"; exit 1 ;;
                  hang) sleep 600 & echo $! >> "$dir/hung.children"; echo $$ >> "$dir/hung.pids"; wait ;;
                esac
                expiry=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)
                echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",'
                echo ' "status":{"token":"exec-token","expirationTimestamp":"'"$expiry"'"}}'
                """, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** The plugin's next run does this; watches reopen every 5 s (watch.timeout) with an expired token. */
    private void nextRun(String mode) throws IOException {
        Files.writeString(dir.resolve("next"), mode);
    }

    private Path kubeconfig(SimulatedApiServer server, Path plugin) throws IOException {
        Map<String, Object> exec = new LinkedHashMap<>();
        exec.put("apiVersion", "client.authentication.k8s.io/v1");
        exec.put("command", plugin.toString());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        root.put("current-context", "sim");
        root.put("clusters", List.of(Map.of("name", "sim", "cluster", Map.of("server", server.url().toString()))));
        root.put("users", List.of(Map.of("name", "bridge", "user", Map.of("exec", exec))));
        root.put("contexts", List.of(Map.of("name", "sim", "context", Map.of("cluster", "sim", "user", "bridge"))));
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, YAML.writeValueAsString(root), StandardCharsets.UTF_8);
        return file;
    }

    private int runs() throws IOException {
        Path runs = dir.resolve("runs");
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    /** The pids a plugin run recorded; a line still being written is left out. */
    private List<Long> pids(String file) {
        Path path = dir.resolve(file);
        try {
            return Files.exists(path) ? Files.readAllLines(path).stream().map(String::trim).filter(l -> l.matches("\\d+"))
                    .map(Long::parseLong).toList() : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private void awaitKilled(String file) {
        for (long pid : pids(file)) {
            Await.until(() -> !alive(pid), Duration.ofSeconds(30), "process " + pid + " (" + file + ") was killed");
        }
    }

    private static SimulatedApiServer server(String token) {
        return SimulatedApiServer.builder().bookmarkInterval(Duration.ofMillis(500)).token(token).build().start()
                .addStandardResources();
    }

    @Test
    void aPluginThatFailsOnceAndHangsOnceIsRetriedWhileTheOtherClusterStreams(EmbeddedKafkaBroker broker) throws Exception {
        Path plugin = plugin();
        try (SimulatedApiServer withPlugin = server("exec-token"); SimulatedApiServer other = server(null)) {
            BridgeHarness a = new BridgeHarness(broker, withPlugin, "");
            BridgeHarness b = new BridgeHarness(broker, other, "");
            ClusterChurn churnA = new ClusterChurn(withPlugin, List.of("pods", "configmaps"), 17);
            ClusterChurn churnB = new ClusterChurn(other, List.of("pods"), 18);
            churnA.populate(5);
            churnB.populate(5);
            // 20 s: long enough to see the other cluster stream while the plugin hangs.
            BridgeSettings settings = SeveralClusters.settings(broker, a,
                    SeveralClusters.entry(a, "kubeconfig = \"" + kubeconfig(withPlugin, plugin) + "\"\n exec-timeout = 20s",
                            "[pods, configmaps]"),
                    SeveralClusters.entry(b, other.url().toString(), "[pods]", ""));
            try (Bridge bridge = Bridge.start(settings, Pauser.REAL)) {
                SeveralClusters.awaitWatching(bridge, a.cluster());
                SeveralClusters.awaitWatching(bridge, b.cluster());
                a.awaitTopicMatchesCluster("pods", "core", "pods");

                nextRun("fail");
                Await.until(() -> Files.exists(dir.resolve("failed")), Duration.ofSeconds(60), "a plugin run failed");
                churnA.churn(20);
                a.awaitTopicMatchesCluster("pods", "core", "pods");
                a.awaitTopicMatchesCluster("configmaps", "core", "configmaps");

                nextRun("hang");
                Await.until(() -> !pids("hung.pids").isEmpty(), Duration.ofSeconds(60), "a plugin run hangs");
                long hung = pids("hung.pids").get(0);
                churnA.churn(20);
                churnB.churn(20);
                b.awaitTopicMatchesCluster("pods", "core", "pods");
                assertTrue(alive(hung), "the other cluster streamed while the plugin hung");

                // Killed at its deadline and run again: both watches of the cluster stream on, nothing lost.
                a.awaitTopicMatchesCluster("pods", "core", "pods");
                a.awaitTopicMatchesCluster("configmaps", "core", "configmaps");
                awaitKilled("hung.pids");
                awaitKilled("hung.children");
                churnA.churn(20);
                a.awaitTopicMatchesCluster("pods", "core", "pods");
                a.awaitTopicMatchesCluster("configmaps", "core", "configmaps");
                assertEquals(1, pids("hung.pids").size(), "the hung run was not started twice");
                assertTrue(bridge.stopped().getNow(null) == null, "no restart");
            }
        }
    }

    @Test
    void aHungPluginDoesNotBlockShutdown(EmbeddedKafkaBroker broker) throws Exception {
        Path plugin = plugin();
        try (SimulatedApiServer server = server("exec-token")) {
            BridgeHarness harness = new BridgeHarness(broker, server, "");
            new ClusterChurn(server, List.of("pods", "configmaps"), 19).populate(5);
            BridgeSettings settings = SeveralClusters.settings(broker, harness, SeveralClusters.entry(harness,
                    "kubeconfig = \"" + kubeconfig(server, plugin) + "\"\n exec-timeout = 10m", "[pods, configmaps]"));
            Bridge bridge = Bridge.start(settings, Pauser.REAL);
            Thread closing = new Thread(() -> {
                try {
                    bridge.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "closes the bridge");
            try {
                SeveralClusters.awaitWatching(bridge, harness.cluster());
                nextRun("hang");
                Await.until(() -> !pids("hung.pids").isEmpty(), Duration.ofSeconds(60), "a plugin run hangs");

                closing.start();
                Await.until(() -> !closing.isAlive(), Duration.ofSeconds(60),
                        "the bridge stopped although a plugin run hangs (its deadline is 10 minutes away)");
                awaitKilled("hung.pids");
                awaitKilled("hung.children");
                assertEquals(1, pids("hung.pids").size(), "one hung run, shared by both watches of the cluster");
            } finally {
                if (closing.getState() == Thread.State.NEW) {
                    bridge.close();
                }
            }
        }
    }
}
