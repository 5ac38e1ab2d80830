package io.kube2kafka.sim;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/** One client connection: an HTTP/1.1 keep-alive loop on its own thread until either side quits. */
final class Connection implements Runnable {
  private final Socket socket;
  private final ApiHandler handler;
  private final Runnable onExit;

  Connection(Socket socket, ApiHandler handler, Runnable onExit) {
    this.socket = socket;
    this.handler = handler;
    this.onExit = onExit;
  }

  @Override
  public void run() {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      // 64 KiB, so a burst of watch events leaves in few writes; the client sees the same bytes either way.
      ResponseWriter out = new Http1ResponseWriter(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024), in);
      while (true) {
        HttpRequest request;
        try {
          request = HttpRequest.read(in);
        } catch (HttpRequest.BadRequestException e) {
          out.json(400, Status.failure(400, "BadRequest", e.getMessage()));
          return;
        }
        if (request == null || !handler.handle(request, out, clientCertificate()) || !request.keepAlive()) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away or close() shut the socket: both are normal ends of a connection here,
      // and the client, which is what is under test, sees the failure on its side.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() interrupts to stop a watch; the thread ends now
    } finally {
      onExit.run();
    }
  }

  /** The certificate the client presented in the TLS handshake; null over plain HTTP or when it presented none. */
  private X509Certificate clientCertificate() {
    if (!(socket instanceof SSLSocket tls)) {
      return null;
    }
    try {
      return (X509Certificate) tls.getSession().getPeerCertificates()[0];
    } catch (SSLPeerUnverifiedException noCertificate) {
      return null;
    }
  }

  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is best effort during shutdown; the thread ends either way once interrupted.
    }
  }
}
