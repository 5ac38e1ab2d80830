package io.kube2kafka.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * HTTP/2 over TLS, as a real kube-apiserver speaks it: ALPN offers {@code h2} and {@code http/1.1},
 * so a client that allows HTTP/2 multiplexes every request and watch over one connection, and one
 * that does not (kubernetes.http2 = false) gets HTTP/1.1 from the same server. Every request goes
 * to the simulator's {@link ApiHandler}, so the API behaves exactly as over {@link Http1Transport}.
 *
 * <p>Why Jetty 12: a complete, maintained HTTP/2 server (Eclipse Foundation, Apache-2.0/EPL-2.0)
 * with real flow control, PING and GOAWAY handling, and a plain blocking handler API that fits
 * the simulator's thread-per-watch code. Kafka Connect's own REST server is Jetty of the same
 * release (the root pom imports one jetty-bom), so no new library family enters the test
 * classpath. Netty's HTTP/2 codec would leave stream and flow-control plumbing to us; OkHttp's
 * MockWebServer serves canned responses and cannot stream an open-ended watch as events happen.
 * It lives in the tests because the bridge's runtime never serves HTTP.
 *
 * <p>Unlike {@link Http1Transport}, chunk boundaries are DATA frames and a cut line is a stream
 * reset (RST_STREAM), which is how an HTTP/2 client sees a server or proxy dying mid-event.
 */
public final class Http2Transport extends ServerTransport {
  /**
   * kube-apiserver's limit when --http2-max-streams-per-connection is 0 (its default): 100 streams,
   * matching Go's http2 client (k8s.io/apiserver/pkg/server/secure_serving.go; older releases used 250).
   */
  static final int MAX_CONCURRENT_STREAMS = 100;
  /**
   * kube-apiserver sets no per-stream timeout (a watch ends at its timeoutSeconds), so neither does this
   * server in any test's lifetime; an hour is "never" here and still frees a leaked stream eventually.
   */
  private static final Duration IDLE_TIMEOUT = Duration.ofHours(1);
  /** Threads serving requests at most: open watches, lists and discovery together. */
  private static final int MAX_THREADS = 2000;
  /** Bounds a request body so that a broken client cannot exhaust memory; an access review is a few hundred bytes. */
  private static final int MAX_BODY = 1024 * 1024;

  private final SSLContext tls;
  private final boolean needClientAuth;
  private final Set<JettyResponseWriter> streaming = ConcurrentHashMap.newKeySet();
  private volatile Server server;
  private volatile ServerConnector connector;

  private Http2Transport(SSLContext tls, boolean needClientAuth) {
    this.tls = tls;
    this.needClientAuth = needClientAuth;
  }

  /** HTTP/2 (and HTTP/1.1, by ALPN) over TLS presenting the key and certificate of {@code tls}. */
  public static Http2Transport overTls(SSLContext tls) {
    return new Http2Transport(tls, false);
  }

  /** As {@link #overTls}, and the handshake fails unless the client presents a certificate {@code tls} trusts. */
  public static Http2Transport overTlsWithClientCertificates(SSLContext tls) {
    return new Http2Transport(tls, true);
  }

  @Override
  void start(ApiHandler handler) {
    // Each watch holds a thread of this pool for as long as it streams (the handler blocks, as the
    // HTTP/1.1 transport's connection threads do), and kube-apiserver, serving each request on its
    // own goroutine, has no such bound. Jetty's default of 200 left the lists of a bench with 300
    // watches queued until they timed out; 2,000 leaves room for the widest use, idle threads exit.
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS);
    threads.setName("sim-apiserver-h2");
    threads.setDaemon(true);
    Server jetty = new Server(threads);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false); // ResponseHeaders sets Date, as on the HTTP/1.1 transport
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // clients reach 127.0.0.1, for which TLS sends no SNI
    http.addCustomizer(secure);

    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
    h2.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
    h2.setStreamIdleTimeout(IDLE_TIMEOUT.toMillis());
    HttpConnectionFactory http1 = new HttpConnectionFactory(http);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol(http1.getProtocol()); // a client that offers no ALPN speaks HTTP/1.1

    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(tls);
    ssl.setNeedClientAuth(needClientAuth);
    ssl.setCipherComparator(HTTP2Cipher.COMPARATOR); // RFC 9113 9.2.2: h2 needs an AEAD cipher first

    ServerConnector listener = new ServerConnector(jetty, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http1);
    listener.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    listener.setPort(0);
    listener.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    jetty.addConnector(listener);
    jetty.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        serve(handler, request, response, callback);
        return true;
      }
    });
    try {
      jetty.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP/2 server on 127.0.0.1", e);
    }
    server = jetty;
    connector = listener;
  }

  /** Runs on a Jetty pool thread, which a watch holds for as long as it streams, like a connection thread of Http1Transport. */
  private void serve(ApiHandler handler, Request request, Response response, Callback callback) {
    JettyResponseWriter out = new JettyResponseWriter(request, response);
    streaming.add(out);
    try {
      handler.handle(toHttpRequest(request), out);
      out.complete(callback);
    } catch (InterruptedException | InterruptedIOException e) {
      Thread.currentThread().interrupt(); // close() stops the pool; the response is abandoned
      callback.failed(e);
    } catch (IOException e) {
      // The client went away or the server closed: the client, which is under test, sees its side of it.
      callback.failed(e);
    } finally {
      streaming.remove(out);
    }
  }

  private static HttpRequest toHttpRequest(Request request) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers.put(field.getName().toLowerCase(Locale.ROOT), field.getValue());
    }
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw new EofException("request body over " + MAX_BODY + " bytes");
    }
    return HttpRequest.of(request.getMethod(), request.getHttpURI().getPathQuery(), headers,
        request.getConnectionMetaData().getProtocol(), body);
  }

  @Override
  int port() {
    ServerConnector listener = connector;
    if (listener == null) {
      throw new IllegalStateException("not started");
    }
    return listener.getLocalPort();
  }

  @Override
  String scheme() {
    return "https";
  }

  @Override
  void closeConnections() {
    ServerConnector listener = connector;
    if (listener != null) {
      listener.getConnectedEndPoints().forEach(org.eclipse.jetty.io.EndPoint::close);
    }
  }

  @Override
  void close() {
    Server jetty = server;
    if (jetty == null) {
      return;
    }
    streaming.forEach(JettyResponseWriter::release);
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the HTTP/2 server did not stop cleanly", e);
    }
  }
}
