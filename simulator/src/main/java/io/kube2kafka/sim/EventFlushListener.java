package io.kube2kafka.sim;

/**
 * Told when a watch has flushed the last byte of an event line to its socket: the start of the
 * clock for latency measurements ("from the server's last byte to a committed record").
 *
 * <p>Called on the watch's connection thread right after the flush, so it must be quick and must
 * not block; recording a timestamp in a concurrent map is the intended use.
 */
@FunctionalInterface
public interface EventFlushListener {
  EventFlushListener NONE = (resourceVersion, nanoTime) -> { };

  /**
   * @param resourceVersion the event's resourceVersion
   * @param nanoTime {@link System#nanoTime()} just after the flush returned
   */
  void flushed(long resourceVersion, long nanoTime);
}
