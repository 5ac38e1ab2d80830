package io.kube2kafka.watch;

/**
 * Thrown by a {@link WatchSink} that has stopped for good, e.g. a publisher that hit a fatal Kafka
 * error (fenced by another bridge). Nothing the watch hands on could be published any more, so the
 * watch ends instead of retrying; whoever owns the sink stops the rest.
 */
public final class SinkStoppedException extends RuntimeException {
    public SinkStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
