package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes HTTP/1.1 responses: whole bodies with Content-Length, or chunked streams whose chunk
 * boundaries the caller decides. A line cut into several chunks has every chunk flushed, so those
 * boundaries reach the socket as is; a whole-line chunk waits for {@link #flush()}.
 */
final class Http1ResponseWriter implements ResponseWriter {
  private static final byte[] CRLF = {'\r', '\n'};
  private final OutputStream out;
  private final InputStream in;

  /** @param in the connection's input, read only to learn that the client went away */
  Http1ResponseWriter(OutputStream out, InputStream in) {
    this.out = out;
    this.in = in;
  }

  @Override
  public void json(int code, JsonNode body, Map<String, String> extraHeaders) throws IOException {
    byte[] bytes = Json.bytes(body);
    StringBuilder head = head(code, "application/json", extraHeaders);
    head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  @Override
  public void text(int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = head(code, "text/plain; charset=utf-8", Map.of());
    head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  @Override
  public void startStream() throws IOException {
    StringBuilder head = head(200, "application/json", Map.of());
    head.append("Transfer-Encoding: chunked\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /**
   * Writes {@code line} as chunks cut at {@code splitPoints}, one flush per chunk; with no split
   * points, as one chunk left in the buffer until {@link #flush()}.
   */
  @Override
  public void chunks(byte[] line, int[] splitPoints) throws IOException {
    if (splitPoints.length == 0) {
      writeChunk(line, 0, line.length);
      return;
    }
    int start = 0;
    for (int point : splitPoints) {
      if (point > start && point < line.length) {
        chunk(line, start, point - start);
        start = point;
      }
    }
    chunk(line, start, line.length - start);
  }

  /**
   * Announces a chunk of the whole line but sends only its first half: the shape of a connection
   * cut mid-event, mid-chunk. The caller closes the socket next, without a terminating chunk.
   */
  @Override
  public void cutMidLine(byte[] line) throws IOException {
    out.write((Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(line, 0, Math.max(1, line.length / 2));
    out.flush();
  }

  @Override
  public void endStream() throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /**
   * Reads the client's side, which it never writes to during a watch, so this returns only when the
   * client closes or the server shuts the socket.
   */
  @Override
  public void awaitClientGone() throws IOException {
    out.flush();
    byte[] discard = new byte[512];
    while (in.read(discard) >= 0) {
      // a pipelined request on a dead watch is ignored, like bytes sent into a black hole
    }
  }

  private void chunk(byte[] bytes, int offset, int length) throws IOException {
    writeChunk(bytes, offset, length);
    out.flush();
  }

  private void writeChunk(byte[] bytes, int offset, int length) throws IOException {
    if (length == 0) {
      return; // a zero-length chunk would end the stream
    }
    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes, offset, length);
    out.write(CRLF);
  }

  private static StringBuilder head(int code, String contentType, Map<String, String> extraHeaders) {
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ").append(code).append(' ').append(reasonPhrase(code)).append("\r\n");
    ResponseHeaders.standard(contentType, extraHeaders).forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    return head;
  }

  private static String reasonPhrase(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 410 -> "Gone";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status " + code;
    };
  }
}
