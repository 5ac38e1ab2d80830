package io.kube2kafka.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * `kube2kafka run` in a child JVM, so tests can send it real signals: SIGTERM for a clean stop,
 * SIGKILL for a crash at an arbitrary instant.
 */
public final class BridgeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private BridgeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts `Main args...` with the test's classpath; stdout and stderr go to a log file. */
    public static BridgeProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, Map.of(), args);
    }

    /** As {@link #start(Path, String...)}, with more environment variables for the child. */
    public static BridgeProcess start(Path workDir, Map<String, String> environment, String... args) throws IOException {
        Path log = Files.createTempFile(workDir, "bridge", ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.kube2kafka.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new BridgeProcess(process, log);
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then the exit status. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return waitFor();
    }

    /** SIGKILL: no chance to commit anything in flight. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    public int waitFor() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the bridge did not exit within 120 s; log:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Writes a HOCON file into dir. */
    public static File config(Path dir, String hocon) throws IOException {
        Path file = Files.createTempFile(dir, "kube2kafka", ".conf");
        Files.writeString(file, hocon, StandardCharsets.UTF_8);
        return file.toFile();
    }
}
