package io.kube2kafka.bench;

import io.kube2kafka.sim.SimulatedApiServer;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Section 3: the bridge's first list of a big cluster, in a child JVM with a small heap. The
 * simulated server and the broker stay in this JVM, so the child's heap holds only the bridge.
 */
final class FirstList {
    /** @param output the child's report line, or why it failed */
    record Result(boolean completed, int exitCode, String output, long createNanos) {
    }

    private static final String[] NAMESPACES = {"default", "shop", "payments", "search", "monitoring", "ingress", "batch"};
    private static final String[] APPS = {"web", "api", "worker", "cache", "checkout", "indexer", "gateway", "exporter"};

    private final String bootstrapServers;
    private final String runId;

    FirstList(String bootstrapServers, String runId) {
        this.bootstrapServers = bootstrapServers;
        this.runId = runId;
    }

    Result run(int objects, String maxHeap, int pageSize) throws Exception {
        try (SimulatedApiServer server = SimulatedApiServer.builder().build().addStandardResources().start()) {
            long started = System.nanoTime();
            Random random = new Random(7);
            for (int i = 0; i < objects; i++) {
                String app = APPS[random.nextInt(APPS.length)];
                server.create("pods", NAMESPACES[random.nextInt(NAMESPACES.length)],
                        app + "-" + Integer.toString(i, 36) + "-" + Integer.toString(random.nextInt(1 << 20), 36),
                        Map.of("app", app, "tier", random.nextBoolean() ? "frontend" : "backend",
                                "pod-template-hash", Integer.toString(random.nextInt(1 << 24), 36)));
            }
            long createNanos = System.nanoTime() - started;
            List<String> command = new ArrayList<>();
            command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            command.add("-Xmx" + maxHeap);
            command.add("-XX:+ExitOnOutOfMemoryError");
            String log4j = System.getProperty("log4j2.configurationFile");
            if (log4j != null) {
                command.add("-Dlog4j2.configurationFile=" + log4j);
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(FirstListChild.class.getName());
            command.add(server.url().toString());
            command.add(bootstrapServers);
            command.add("list" + runId);
            command.add(Integer.toString(objects));
            command.add(Integer.toString(pageSize));
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            StringBuilder output = new StringBuilder();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    output.append(line).append('\n');
                }
            }
            if (!child.waitFor(20, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                return new Result(false, -1, "timed out", createNanos);
            }
            int exit = child.exitValue();
            return new Result(exit == 0 && output.toString().contains("completed=true"), exit, output.toString().trim(), createNanos);
        }
    }
}
