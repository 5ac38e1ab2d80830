package io.kube2kafka.bench;

import io.kube2kafka.sim.ClusterChurn;
import io.kube2kafka.sim.Http2Transport;
import io.kube2kafka.sim.RecordedRequest;
import io.kube2kafka.sim.SimResource;
import io.kube2kafka.sim.SimulatedApiServer;
import io.kube2kafka.testing.LoopbackTls;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Section 5 (issue 13, goal 3): the whole cluster at width. A simulated cluster serves N custom
 * resource types (CRDs) with a few objects each and light churn; the bridge, in a child JVM with a
 * small heap, watches all of them, once over HTTP/2 and once over HTTP/1.1 (the same TLS server,
 * ALPN decides). The child reports when every watch streams, its heap, threads and connections, and
 * its CPU time with light churn and with none.
 */
final class Width {
    /** Churn is "light": a change somewhere in the cluster this often, i.e. one per resource every minute at 300. */
    private static final long CHURN_EVERY_MILLIS = 200;
    /** Custom resources spread over groups as operators' CRDs are: ten kinds a group. */
    private static final int KINDS_PER_GROUP = 10;

    /** @param lines the child's report lines, or why it failed */
    record Result(String protocol, boolean completed, List<String> lines, int serverOpenWatches) {
    }

    private final String bootstrapServers;
    private final String runId;

    Width(String bootstrapServers, String runId) {
        this.bootstrapServers = bootstrapServers;
        this.runId = runId;
    }

    static SimResource resource(int i) {
        return new SimResource("g" + i / KINDS_PER_GROUP + ".width.example.com", "v1", "thing" + i + "s", "Thing" + i, true);
    }

    /**
     * What the bridge watches: the whole cluster, as the users this section stands for configure it.
     * The default exclude leaves events out, so the simulator's standard resources join the N custom ones.
     */
    static final String RESOURCES = "resources = [\"*\"]";

    List<Result> run(int resources, int objectsPerResource, int windowSeconds, String maxHeap) throws Exception {
        Path dir = Files.createTempDirectory("kube2kafka-bench-width");
        try {
            LoopbackTls tls = LoopbackTls.issue(dir);
            try (SimulatedApiServer server = SimulatedApiServer.builder().transport(Http2Transport.overTls(tls.server())).build().start()) {
                server.addStandardResources();
                List<String> names = new ArrayList<>();
                for (int i = 0; i < resources; i++) {
                    server.addResource(resource(i));
                    names.add(resource(i).qualifiedName());
                }
                ClusterChurn churn = new ClusterChurn(server, names, 13);
                churn.populate(objectsPerResource);
                List<Result> results = new ArrayList<>();
                for (boolean http2 : new boolean[] {true, false}) {
                    results.add(runChild(server, tls, http2, churn, resources, windowSeconds, maxHeap));
                }
                return results;
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Result runChild(SimulatedApiServer server, LoopbackTls tls, boolean http2, ClusterChurn churn, int resources,
                            int windowSeconds, String maxHeap) throws Exception {
        String protocol = http2 ? "HTTP/2" : "HTTP/1.1";
        List<String> command = ChildJvm.command(maxHeap, WidthChild.class);
        command.add(server.url().toString());
        command.add(tls.caFile().toString());
        command.add(Boolean.toString(http2));
        command.add(bootstrapServers);
        command.add("width" + (http2 ? "2" : "1") + runId);
        command.add(Integer.toString(resources));
        command.add(Integer.toString(windowSeconds));
        server.clearRequests();
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ScheduledExecutorService churning = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "width-churn"));
        churning.scheduleWithFixedDelay(churn::step, CHURN_EVERY_MILLIS, CHURN_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        List<String> lines = new ArrayList<>();
        int[] openWatches = new int[1];
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                // As they come: the start alone takes minutes on a loaded machine.
                System.out.println("   " + protocol + ": " + line);
                if (line.startsWith("streaming ")) {
                    openWatches[0] = server.openWatchCount();
                    // Aggregated discovery makes a round two requests, whatever the number of CRDs.
                    System.out.println("   " + protocol + ": discovery requests until then: "
                            + server.requests().stream().filter(RecordedRequest::isDiscovery).count());
                }
                if (line.startsWith("churn ")) {
                    // The quiet window: nothing changes in the cluster, only bookmarks and pings flow.
                    stop(churning, c -> churning.shutdown());
                    in.write("quiet\n");
                    in.flush();
                }
            }
        } finally {
            stop(churning, ScheduledExecutorService::shutdownNow);
        }
        if (!child.waitFor(5, TimeUnit.MINUTES)) {
            child.destroyForcibly().waitFor();
            lines.add("timed out");
        }
        boolean completed = child.exitValue() == 0 && lines.stream().anyMatch(l -> l.startsWith("quiet "));
        return new Result(protocol, completed, lines, openWatches[0]);
    }

    private static void stop(ScheduledExecutorService churning, Consumer<ScheduledExecutorService> how) throws InterruptedException {
        how.accept(churning);
        churning.awaitTermination(10, TimeUnit.SECONDS);
    }
}
