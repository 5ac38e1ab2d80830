package io.kube2kafka.sim;

/** How a watch from a compacted resourceVersion is refused. Clients must handle both. */
public enum ExpiredWatchMode {
  /**
   * HTTP 200, then a single {"type":"ERROR"} line carrying a 410 Expired Status, then the end of
   * the stream. This is what the watch cache does and so what clients meet most often.
   */
  ERROR_EVENT,
  /** HTTP 410 with a Status body, as the API server answers when serving the watch from etcd. */
  HTTP_410
}
