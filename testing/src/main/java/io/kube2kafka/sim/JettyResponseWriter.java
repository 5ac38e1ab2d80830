package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * One response through Jetty: an HTTP/2 stream (or an HTTP/1.1 exchange, when ALPN chose that).
 * Writes block until Jetty has sent the bytes, so a watch thread is held back by HTTP/2 flow
 * control exactly as kube-apiserver's handler is.
 *
 * <p>Whole lines wait in a buffer for {@link #flush()}, which {@link WatchSession} calls once its
 * queue is drained (kube-apiserver's watch handler flushes the same way), so a lone event leaves
 * at once and a burst shares DATA frames; pieces of a split line each go out on their own.
 */
final class JettyResponseWriter implements ResponseWriter {
  /** As the HTTP/1.1 transport's socket buffer: a long burst is sent in 64 KiB writes even before a flush. */
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Response response;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final CountDownLatch clientGone = new CountDownLatch(1);
  private boolean ended;
  private boolean cut;

  JettyResponseWriter(Request request, Response response) {
    this.response = response;
    // HTTP/2: the client reset the stream (a cancelled watch) or the connection died.
    request.addFailureListener(failure -> clientGone.countDown());
  }

  @Override
  public void json(int code, JsonNode body, Map<String, String> extraHeaders) throws IOException {
    whole(code, "application/json", Json.bytes(body), extraHeaders);
  }

  @Override
  public void text(int code, String body) throws IOException {
    whole(code, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private void whole(int code, String contentType, byte[] body, Map<String, String> extraHeaders) throws IOException {
    head(code, contentType, extraHeaders);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    write(true, ByteBuffer.wrap(body));
    ended = true;
  }

  @Override
  public void startStream() throws IOException {
    head(200, "application/json", Map.of());
    write(false, ByteBuffer.allocate(0)); // commits: the HEADERS frame leaves now
  }

  @Override
  public void chunks(byte[] line, int[] splitPoints) throws IOException {
    if (splitPoints.length == 0) {
      pending.write(line, 0, line.length);
      if (pending.size() >= BUFFER_BYTES) {
        flush();
      }
      return;
    }
    flush();
    int start = 0;
    for (int point : splitPoints) {
      if (point > start && point < line.length) {
        write(false, ByteBuffer.wrap(line, start, point - start));
        start = point;
      }
    }
    write(false, ByteBuffer.wrap(line, start, line.length - start));
  }

  @Override
  public void cutMidLine(byte[] line) throws IOException {
    pending.write(line, 0, Math.max(1, line.length / 2));
    flush();
    cut = true; // complete() then fails the response: Jetty resets the stream
  }

  @Override
  public void endStream() throws IOException {
    byte[] rest = pending.toByteArray();
    pending.reset();
    write(true, ByteBuffer.wrap(rest));
    ended = true;
  }

  @Override
  public void flush() throws IOException {
    if (pending.size() > 0) {
      byte[] bytes = pending.toByteArray();
      pending.reset();
      write(false, ByteBuffer.wrap(bytes));
    }
  }

  @Override
  public void awaitClientGone() throws IOException, InterruptedException {
    flush();
    clientGone.await();
    cut = true; // nothing more will be written on this stream
  }

  /** Ends an await for the client when the server closes. */
  void release() {
    clientGone.countDown();
  }

  /** Hands the response back to Jetty once the handler is done with it. */
  void complete(Callback callback) {
    if (cut) {
      callback.failed(new EofException("the simulated server broke the response off"));
      return;
    }
    if (ended) {
      callback.succeeded();
      return;
    }
    byte[] rest = pending.toByteArray();
    pending.reset();
    response.write(true, ByteBuffer.wrap(rest), callback);
  }

  private void head(int code, String contentType, Map<String, String> extraHeaders) {
    response.setStatus(code);
    ResponseHeaders.standard(contentType, extraHeaders).forEach((name, value) -> response.getHeaders().put(name, value));
  }

  private void write(boolean last, ByteBuffer bytes) throws IOException {
    try (Blocker.Callback done = Blocker.callback()) {
      response.write(last, bytes, done);
      done.block();
    }
  }
}
