package io.kube2kafka.watch;

import java.time.Duration;

/**
 * How watchers talk to the API server.
 *
 * @param pageSize items per list page (limit); bounds the memory one page takes
 * @param timeout server-side watch timeout; each watch asks for a random value between this and
 *     twice this, as client-go does, so many watchers do not reconnect in lockstep
 * @param idleTimeout longest silence tolerated on an open watch before it is treated as half-open
 * @param backoffInitial first pause after an error, doubled up to backoffMax
 * @param authorizationBackoff pause after a 401 or 403, which only a human can fix
 * @param maxEventBytes longest watch line accepted
 * @param tooLargeRetry how long a watch retries a resourceVersion the API server has not reached before
 *     it lists and compares instead ({@link TooLargeResourceVersion})
 * @param pingInterval how often an HTTP/2 connection is pinged; a PING unanswered by the next one fails
 *     the connection and every watch on it ({@link ApiClient})
 * @param initialList how the first list and every relist are read: WatchList streaming or pages
 */
public record WatchSettings(int pageSize, Duration timeout, Duration idleTimeout, Duration backoffInitial,
                            Duration backoffMax, Duration authorizationBackoff, int maxEventBytes, Duration tooLargeRetry,
                            Duration pingInterval, InitialList initialList) {

    public WatchSettings {
        java.util.Objects.requireNonNull(initialList, "initialList");
    }

    /** With {@code watch.initial-list = auto}, its default. */
    public WatchSettings(int pageSize, Duration timeout, Duration idleTimeout, Duration backoffInitial, Duration backoffMax,
                         Duration authorizationBackoff, int maxEventBytes, Duration tooLargeRetry, Duration pingInterval) {
        this(pageSize, timeout, idleTimeout, backoffInitial, backoffMax, authorizationBackoff, maxEventBytes, tooLargeRetry, pingInterval,
                InitialList.AUTO);
    }

    /** The same settings with another way to list. */
    public WatchSettings withInitialList(InitialList mode) {
        return new WatchSettings(pageSize, timeout, idleTimeout, backoffInitial, backoffMax, authorizationBackoff, maxEventBytes, tooLargeRetry,
                pingInterval, mode);
    }

    public static WatchSettings defaults() {
        return new WatchSettings(500, Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMillis(800),
                Duration.ofSeconds(30), Duration.ofSeconds(60), 16 * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(15));
    }
}
