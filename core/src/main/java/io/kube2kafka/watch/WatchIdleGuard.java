package io.kube2kafka.watch;

import okhttp3.Call;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends watches that have been silent too long: a half-open connection (no bytes, no FIN) would
 * otherwise block a read forever.
 *
 * <p>Why not OkHttp's read timeout: Okio enforces it per read, entering and leaving its watchdog's
 * queue and waking the watchdog thread on every socket read; on a busy watch that cost a sixth of
 * the watch thread's time. Here a read only stamps the time, and one timer per API client checks
 * a few times per idle period. Its thread ends when no watch is open.
 */
final class WatchIdleGuard {
    private final Duration idleTimeout;
    private final Runnable onGiveUp;
    private final long checkEveryNanos;
    private final ScheduledThreadPoolExecutor timer;

    /**
     * @param onGiveUp run on the timer after a silent watch is cancelled: whatever else went silent with
     *     its connection must not be reused by the retry
     */
    WatchIdleGuard(Duration idleTimeout, Runnable onGiveUp) {
        this.idleTimeout = idleTimeout;
        this.onGiveUp = onGiveUp;
        this.checkEveryNanos = Math.max(Duration.ofMillis(10).toNanos(), Math.min(idleTimeout.toNanos() / 4, Duration.ofSeconds(5).toNanos()));
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "kube2kafka-watch-idle-check");
            thread.setDaemon(true);
            return thread;
        });
        // The thread may end only when idle for a minute: checks repeat at most 5 s apart, so it never
        // ends while a watch is open (the pitfall the class's docs warn of), and a new watch starts one.
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Starts timing {@code call} now, so connecting, the TLS handshake and the response head are covered too. */
    Guarded watch(Call call) {
        return new Guarded(call);
    }

    /** One watch call: silent for longer than the idle timeout, it is cancelled and reads fail with a SocketTimeoutException. */
    final class Guarded implements AutoCloseable {
        private final Call call;
        private final ScheduledFuture<?> check;
        private volatile long lastActivity = System.nanoTime();
        private volatile boolean expired;

        private Guarded(Call call) {
            this.call = call;
            this.check = timer.scheduleWithFixedDelay(this::cancelIfSilent, checkEveryNanos, checkEveryNanos, TimeUnit.NANOSECONDS);
        }

        /** Runs on the timer; the check itself is cancelled by {@link #close()}, which the watch always calls. */
        private void cancelIfSilent() {
            if (!expired && System.nanoTime() - lastActivity > idleTimeout.toNanos()) {
                expired = true;
                call.cancel();
                onGiveUp.run();
            }
        }

        /** The body, stamping the time on every read that returns. */
        InputStream watch(InputStream body) {
            return new FilterInputStream(body) {
                @Override
                public int read() throws IOException {
                    try {
                        int b = super.read();
                        lastActivity = System.nanoTime();
                        return b;
                    } catch (IOException e) {
                        throw translate(e);
                    }
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    try {
                        int read = in.read(buffer, offset, length);
                        lastActivity = System.nanoTime();
                        return read;
                    } catch (IOException e) {
                        throw translate(e);
                    }
                }
            };
        }

        /** A failure caused by this guard's cancel reads as the timeout it is, so the watcher reconnects rather than stops. */
        IOException translate(IOException e) {
            if (!expired) {
                return e;
            }
            SocketTimeoutException timeout = new SocketTimeoutException("no bytes for " + idleTimeout.toMillis()
                    + " ms (watch.idle-timeout) on an open watch: treating the connection as half-open");
            timeout.initCause(e);
            return timeout;
        }

        @Override
        public void close() {
            check.cancel(false);
        }
    }
}
