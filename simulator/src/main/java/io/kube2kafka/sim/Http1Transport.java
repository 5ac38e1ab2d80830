package io.kube2kafka.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * HTTP/1.1 on raw sockets, one thread per connection, so that the simulator controls every chunk
 * boundary and can cut a connection mid-chunk. TLS when the socket factory is an
 * SSLServerSocketFactory.
 */
final class Http1Transport extends ServerTransport {
  private final ServerSocketFactory socketFactory;
  private final boolean needClientAuth;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket serverSocket;
  private volatile boolean closed;

  Http1Transport(ServerSocketFactory socketFactory, boolean needClientAuth) {
    this.socketFactory = socketFactory;
    this.needClientAuth = needClientAuth;
  }

  @Override
  void start(ApiHandler handler) {
    try {
      serverSocket = socketFactory.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      if (needClientAuth) {
        if (!(serverSocket instanceof SSLServerSocket tls)) {
          serverSocket.close();
          throw new IllegalStateException("needClientAuth requires an SSLServerSocketFactory");
        }
        tls.setNeedClientAuth(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind 127.0.0.1", e);
    }
    startThread("sim-apiserver-" + port() + "-accept", () -> acceptLoop(handler));
  }

  @Override
  int port() {
    ServerSocket socket = serverSocket;
    if (socket == null) {
      throw new IllegalStateException("not started");
    }
    return socket.getLocalPort();
  }

  @Override
  String scheme() {
    return socketFactory instanceof SSLServerSocketFactory ? "https" : "http";
  }

  @Override
  void closeConnections() {
    connections.forEach(Connection::close);
  }

  @Override
  void close() {
    closed = true;
    ServerSocket socket = serverSocket;
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Nothing to do: the accept loop ends on the resulting exception either way.
      }
    }
    connections.forEach(Connection::close);
    threads.forEach(Thread::interrupt);
    for (Thread thread : new ArrayList<>(threads)) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void acceptLoop(ApiHandler handler) {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // close() shut the listener
      }
      try {
        socket.setTcpNoDelay(true); // so that each flushed chunk leaves as its own segment
      } catch (IOException e) {
        // Only a latency tweak; the connection works without it.
      }
      Connection[] self = new Connection[1];
      self[0] = new Connection(socket, handler, () -> connections.remove(self[0]));
      connections.add(self[0]);
      if (closed) {
        self[0].close();
      }
      startThread("sim-apiserver-" + port() + "-conn-" + socket.getPort(), self[0]);
    }
  }

  private void startThread(String name, Runnable body) {
    Thread[] self = new Thread[1];
    self[0] = new Thread(() -> {
      try {
        body.run();
      } finally {
        threads.remove(self[0]);
      }
    }, name);
    self[0].setDaemon(true);
    threads.add(self[0]);
    self[0].start();
  }
}
