package io.kube2kafka.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bench section's bridge in a JVM of its own with a small heap, so the heap holds only the bridge
 * (the simulated server and the broker stay in the parent). {@code CHILD_JAVA_OPTS} reaches it, e.g.
 * {@code CHILD_JAVA_OPTS=-XX:StartFlightRecording=filename=child.jfr,settings=profile}.
 */
final class ChildJvm {
    /** @param output what the child printed on stdout (its report line), or why it failed */
    record Result(int exitCode, String output) {
        boolean completed() {
            return exitCode == 0 && output.contains("completed=true");
        }
    }

    private ChildJvm() {
    }

    static Result run(String maxHeap, Class<?> main, String... args) throws Exception {
        Process child = new ProcessBuilder(command(maxHeap, main, args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
            }
        }
        if (!child.waitFor(20, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(child.exitValue(), output.toString().trim());
    }

    /** The java command of a child bench JVM: this JVM's classpath and logging, the heap given, CHILD_JAVA_OPTS. */
    static List<String> command(String maxHeap, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+ExitOnOutOfMemoryError");
        String log4j = System.getProperty("log4j2.configurationFile");
        if (log4j != null) {
            command.add("-Dlog4j2.configurationFile=" + log4j);
        }
        // After the parent's settings, so these win (a later -D overrides an earlier one).
        String extra = System.getenv("CHILD_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }
}
