package io.kube2kafka.sim;

/**
 * How clients reach the simulated server: the listening socket, the protocol and the threads that
 * serve it. Every transport hands each request to the same {@link ApiHandler}, so discovery, lists,
 * watches, bookmarks, 410s and injected faults behave alike whatever the protocol.
 *
 * <p>Implemented only inside this package: {@link Http1Transport} here, and the tests' HTTP/2
 * transport, which needs an HTTP server library the bridge's runtime does not ship.
 */
public abstract class ServerTransport {
  ServerTransport() {}

  /** Binds 127.0.0.1 on an ephemeral port and starts serving {@code handler}. */
  abstract void start(ApiHandler handler);

  abstract int port();

  /** "http" or "https". */
  abstract String scheme();

  /** Closes every open connection and keeps accepting new ones, as an API server restarted behind its address. */
  abstract void closeConnections();

  /** Stops accepting, closes every connection and waits briefly for the serving threads to end. */
  abstract void close();
}
