package io.kube2kafka.watch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * What one watch makes of "Too large resource version": the API server has not reached the version
 * the watch resumes from.
 *
 * <p>Two causes look the same on the wire. An API server whose watch cache lags behind another one
 * (the load balancer sent this request to it) catches up within seconds: waiting is right, and a
 * relist would be wasted work. A cluster restored from an etcd backup, or rebuilt under the same
 * name, never reaches the version in its own history: its versions from the restore point on mean
 * other changes, so resuming there would publish a parallel history. So the watch retries from the
 * same version for a short window ({@code watch.too-large-retry}), then lists with a consistent read
 * and compares with the topic. client-go's reflector makes the same choice with a shorter fuse: after
 * a too-large answer it marks the version unavailable and lists with resourceVersion "" for a
 * consistent read (setIsLastSyncResourceVersionUnavailable, tools/cache/reflector.go).
 *
 * <p>The window is short on purpose: while the watch waits, a restored cluster's counter climbs back
 * towards the checkpoint, and once it passes it the server would accept the watch and stream the
 * wrong history. Each attempt already waits up to 3 s on the server (the watch cache's blockTimeout).
 */
final class TooLargeResourceVersion {
    private static final Logger log = LoggerFactory.getLogger(TooLargeResourceVersion.class);

    private final WatchTarget target;
    private final Duration retryWindow;
    /** The resume point the server refused, and when it first did; null while nothing is refused. */
    private String refused;
    private long firstRefusedAt;

    TooLargeResourceVersion(WatchTarget target, Duration retryWindow) {
        this.target = target;
        this.retryWindow = retryWindow;
    }

    /**
     * Called for each too-large answer to a request from {@code resourceVersion}.
     *
     * @return true to retry from the same version after the usual backoff, false to give it up and
     *     list with a consistent read instead
     */
    boolean retry(String resourceVersion, ApiException e, long nowNanos) {
        if (!resourceVersion.equals(refused)) {
            refused = resourceVersion;
            firstRefusedAt = nowNanos;
            log.warn("{}: the API server has not reached resourceVersion {} ({}). A lagging API server catches up within "
                    + "seconds, so the watch retries from it for up to {} s (watch.too-large-retry) before it lists and compares",
                    target, resourceVersion, e.getMessage(), retryWindow.toSeconds());
            return true;
        }
        if (nowNanos - firstRefusedAt < retryWindow.toNanos()) {
            return true;
        }
        log.error("{}: resourceVersion {} is still ahead of the API server after {} s ({}). The cluster was restored from a "
                + "backup or rebuilt under the same name: its changes after the restore point are another history, and resuming "
                + "would publish them as if they followed ours. Listing with a consistent read and comparing with the topic instead",
                target, resourceVersion, retryWindow.toSeconds(), e.getMessage());
        refused = null;
        return false;
    }
}
