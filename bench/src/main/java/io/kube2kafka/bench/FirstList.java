package io.kube2kafka.bench;

import io.kube2kafka.sim.SimulatedApiServer;

/**
 * Section 3: the bridge's first list of a big cluster, in a child JVM with a small heap. The
 * simulated server and the broker stay in this JVM, so the child's heap holds only the bridge.
 */
final class FirstList {
    /** @param output the child's report line, or why it failed */
    record Result(boolean completed, int exitCode, String output, long createNanos) {
    }

    private final String bootstrapServers;
    private final String runId;

    FirstList(String bootstrapServers, String runId) {
        this.bootstrapServers = bootstrapServers;
        this.runId = runId;
    }

    /** @param initialList the child bridge's watch.initial-list: "paginated" or "watch-list" */
    Result run(int objects, String maxHeap, int pageSize, String initialList) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().addStandardResources().start()) {
            long started = System.nanoTime();
            BigCluster.reserve(server, objects, pod -> true).serveOn(server);
            long createNanos = System.nanoTime() - started;
            ChildJvm.Result child = ChildJvm.run(maxHeap, FirstListChild.class, server.url().toString(), bootstrapServers, "list" + initialList + runId,
                    Integer.toString(objects), Integer.toString(pageSize), initialList);
            return new Result(child.completed(), child.exitCode(), child.output(), createNanos);
        }
    }
}
