package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;

/**
 * Where {@link ApiHandler} and {@link WatchSession} write one response, whatever protocol carries it:
 * an HTTP/1.1 connection of this package ({@link Http1ResponseWriter}, chunked) or a stream of a
 * transport built on an HTTP server library (the tests serve HTTP/2 this way). The API logic is
 * written once, against this interface.
 *
 * <p>A streamed response goes: 1. {@link #startStream()}; 2. any number of {@link #chunks} and
 * {@link #flush()}es; 3. one of {@link #endStream()} (a clean end), {@link #cutMidLine} (the
 * connection lost mid-event) or {@link #awaitClientGone()} (the stream gone silent). Nothing is
 * written after step 3.
 */
interface ResponseWriter {

  /** A whole JSON body with its length. */
  void json(int code, JsonNode body, Map<String, String> extraHeaders) throws IOException;

  default void json(int code, JsonNode body) throws IOException {
    json(code, body, Map.of());
  }

  /** A whole text body, as /healthz answers. */
  void text(int code, String body) throws IOException;

  /** Sends the head of a 200 application/json stream at once, as kube-apiserver does before the first event. */
  void startStream() throws IOException;

  /**
   * Writes {@code line} cut at {@code splitPoints}, each piece reaching the client on its own (a chunk on
   * HTTP/1.1, a DATA frame on HTTP/2); with no split points, as one piece that may wait for {@link #flush()}.
   */
  void chunks(byte[] line, int[] splitPoints) throws IOException;

  /** Sends what is buffered and the first half of {@code line}, then breaks the response off without an end. */
  void cutMidLine(byte[] line) throws IOException;

  /** Ends the stream cleanly (the terminating chunk, or END_STREAM); the connection may serve more requests. */
  void endStream() throws IOException;

  void flush() throws IOException;

  /**
   * Sends what is buffered, then blocks until the client goes away or the server closes, without writing
   * or polling: a stream that went silent with its connection left open.
   */
  void awaitClientGone() throws IOException, InterruptedException;
}
