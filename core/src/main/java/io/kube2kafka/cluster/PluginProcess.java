package io.kube2kafka.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of an external command with a deadline: its stdout and stderr are read on threads of their own
 * while the caller waits for the exit, so a command that never closes its output (a hung plugin, or one
 * that hangs on the network) is still found out when the deadline passes. Then the command and every
 * process it started are killed. The wait is interruptible: shutting the bridge down kills the command
 * too, and nothing waits on it afterwards.
 */
final class PluginProcess {
    /** An ExecCredential is a few KiB; more than this is not a credential, and must not fill the heap. */
    static final int MAX_OUTPUT_BYTES = 1024 * 1024;

    /** What the command printed, and how it ended. */
    record Result(int exitStatus, byte[] stdout, String stderr) {
    }

    /** The command could not be started at all: not found, not executable. */
    static final class CannotStart extends IOException {
        CannotStart(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The command did not finish in time, or left its output open after it exited. */
    static final class TimedOut extends IOException {
        TimedOut(String message) {
            super(message);
        }
    }

    private PluginProcess() {
    }

    /**
     * Starts {@code builder} with stdin closed and waits up to {@code timeout} for it to exit and close its
     * output.
     *
     * @throws CannotStart when it cannot start, {@link TimedOut} when the deadline passed (it was killed),
     *     {@link InterruptedIOException} when the caller was interrupted (killed too)
     */
    static Result run(ProcessBuilder builder, Duration timeout) throws IOException {
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CannotStart(e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            process.getOutputStream().close();
            CompletableFuture<byte[]> stdout = drain(process.getInputStream(), process, "stdout");
            CompletableFuture<byte[]> stderr = drain(process.getErrorStream(), process, "stderr");
            if (!process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
                killTree(process);
                throw new TimedOut("did not finish within " + timeout.toMillis() + " ms and was killed");
            }
            // A child that inherited stdout can keep it open after the plugin itself exited.
            byte[] out = await(stdout, deadline, process);
            byte[] err = await(stderr, deadline, process);
            if (out.length > MAX_OUTPUT_BYTES) {
                throw new IOException("printed more than " + MAX_OUTPUT_BYTES + " bytes, which is no credential");
            }
            return new Result(process.exitValue(), out, new String(err, java.nio.charset.StandardCharsets.UTF_8).trim());
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting; killed it");
            interrupted.initCause(e);
            throw interrupted;
        } catch (IOException | RuntimeException e) {
            killTree(process);
            throw e;
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static byte[] await(CompletableFuture<byte[]> output, long deadline, Process process)
            throws IOException, InterruptedException {
        try {
            return output.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            killTree(process);
            throw new TimedOut("exited, but a process it started kept its output open past the deadline; killed");
        } catch (ExecutionException e) {
            throw new IOException("cannot read its output: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Reads a stream to its end on a daemon thread, keeping at most one byte more than
     * {@link #MAX_OUTPUT_BYTES} and discarding the rest, so the command never blocks on a full pipe. A
     * daemon thread because a pipe held open by an escaped grandchild may never end, and that must not
     * keep the JVM alive.
     */
    private static CompletableFuture<byte[]> drain(InputStream in, Process process, String name) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    int room = MAX_OUTPUT_BYTES + 1 - kept.size();
                    kept.write(buffer, 0, Math.max(0, Math.min(room, n)));
                }
                result.complete(kept.toByteArray());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, "exec plugin " + process.pid() + " " + name);
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    /**
     * Kills the command and everything it started. Descendants first, while they can still be found: once
     * the parent is gone they are re-parented and no longer its descendants.
     */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
