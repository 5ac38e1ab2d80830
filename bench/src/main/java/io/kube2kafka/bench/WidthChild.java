package io.kube2kafka.bench;

import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.watch.WatchStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of the width section: starts the bridge on {@link Width#RESOURCES} (the whole cluster), reports when every watch streams, then the heap, threads and connections, and the
 * process's CPU time over a window of light churn and one of quiet. Between the two it waits for a
 * line on stdin: the parent stops its churn first.
 *
 * <p>Args: apiServerUrl caFile http2 bootstrapServers cluster resources windowSeconds
 */
public final class WidthChild {
    private WidthChild() {
    }

    public static void main(String[] args) throws Exception {
        URI apiServer = URI.create(args[0]);
        String caFile = args[1];
        boolean http2 = Boolean.parseBoolean(args[2]);
        int resources = Integer.parseInt(args[5]);
        int windowSeconds = Integer.parseInt(args[6]);
        String extra = "kubernetes { ca-file = \"" + caFile + "\", http2 = " + http2 + " }\n"
                + Width.RESOURCES + "\n"
                // Fewer partitions than the default 3: the broker (in the parent, on the same 2 cores) holds one topic per resource.
                + "kafka.partitions = 1\n";
        BridgeSettings settings = BridgeRun.settings(apiServer, args[3], args[4], extra);
        long started = System.nanoTime();
        Bridge bridge = Bridge.start(settings, io.kube2kafka.watch.Pauser.REAL);
        // "*" resolved at start: the custom resources plus the simulator's standard ones, events excluded.
        int watches = bridge.watchStatuses().size();
        if (watches < resources) {
            throw new IllegalStateException("resources = [\"*\"] resolved to " + watches + " watches, fewer than the " + resources
                    + " custom resources served");
        }
        BridgeRun.await(() -> streaming(bridge) >= watches, 600_000, watches + " watches to stream");
        long streamingMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("streaming watches=%d (of them custom resources %d) afterMs=%d%n", streaming(bridge), resources, streamingMs);
        System.out.flush();

        // What is left once the lists are done and the JIT has compiled what the watches run.
        JitQuiet.await();
        System.gc();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long heapAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long watchThreads = java.util.Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                .filter(info -> info != null && info.getThreadName().startsWith("watch ")).count();
        System.out.printf("heapAfterGcMB=%.1f maxHeapMB=%.0f threads=%d (watch threads %d, peak %d) connectionsToApiServer=%d%n",
                heapAfterGc / 1e6, Runtime.getRuntime().maxMemory() / 1e6, threads.getThreadCount(), watchThreads,
                threads.getPeakThreadCount(), establishedConnectionsTo(apiServer.getPort()));

        double churnMillis = cpuMillisOver(windowSeconds);
        System.out.printf("churn windowSeconds=%d cpuMs=%.0f perWatchUsPerSecond=%.1f coreShare=%.3f events=%d%n", windowSeconds,
                churnMillis, churnMillis * 1000 / windowSeconds / watches, churnMillis / 1000 / windowSeconds,
                bridge.publisher().stats().events());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine(); // the parent stopped its churn
        double quietMillis = cpuMillisOver(windowSeconds);
        System.out.printf("quiet windowSeconds=%d cpuMs=%.0f perWatchUsPerSecond=%.1f coreShare=%.3f connectionsToApiServer=%d%n",
                windowSeconds, quietMillis, quietMillis * 1000 / windowSeconds / watches, quietMillis / 1000 / windowSeconds,
                establishedConnectionsTo(apiServer.getPort()));
        System.out.flush();
        bridge.close();
        System.exit(0);
    }

    private static long streaming(Bridge bridge) {
        List<WatchStatus> statuses = bridge.watchStatuses();
        return statuses.stream().filter(s -> s.state() == WatchStatus.State.WATCHING).count();
    }

    /** CPU time of this whole process (every thread, the JIT and GC included) over the next {@code seconds}. */
    private static double cpuMillisOver(int seconds) throws InterruptedException {
        long before = ProcessCpu.nanos();
        Thread.sleep(seconds * 1000L); // a measuring window, not a wait for a condition
        return (ProcessCpu.nanos() - before) / 1e6;
    }

    /**
     * This machine's established TCP connections to the API server's port, from /proc/net/tcp and
     * tcp6 (state 01 = ESTABLISHED): only this process connects to the simulated server, so they are
     * the bridge's. Counted from outside the HTTP client, as `ss` would.
     */
    static int establishedConnectionsTo(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                // sl local_address rem_address st ...
                if (fields.length > 3 && fields[2].endsWith(hexPort) && fields[3].equals("01")) {
                    count++;
                }
            }
        }
        return count;
    }
}
