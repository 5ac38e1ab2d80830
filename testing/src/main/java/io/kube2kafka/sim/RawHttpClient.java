package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately independent HTTP/1.1 client on a raw socket, so tests see the server's exact
 * bytes: chunk sizes, partial chunks, a missing terminating chunk. Every read is bounded by the
 * socket timeout, which is how tests await data without sleeping.
 */
final class RawHttpClient implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();

  record Head(int status, Map<String, String> headers) {
    boolean chunked() {
      return "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
    }
  }

  /** One chunk as received: {@code data.length < declaredSize} means the connection was cut inside it. */
  record Chunk(int declaredSize, byte[] data) {
    boolean complete() {
      return data.length == declaredSize;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String host;

  RawHttpClient(URI url, int readTimeoutMillis) throws IOException {
    socket = new Socket("127.0.0.1", url.getPort());
    socket.setSoTimeout(readTimeoutMillis);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    host = "127.0.0.1:" + url.getPort();
  }

  RawHttpClient(URI url) throws IOException {
    this(url, 5000);
  }

  void setReadTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  void send(String target, String... headerLines) throws IOException {
    StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
    for (String header : headerLines) {
      request.append(header).append("\r\n");
    }
    request.append("\r\n");
    out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  Head readHead() throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return new Head(status, headers);
  }

  JsonNode readJsonBody(Head head) throws IOException {
    int length = Integer.parseInt(head.headers().get("content-length"));
    return MAPPER.readTree(in.readNBytes(length));
  }

  /** The next chunk; null when the connection ended before a chunk header. */
  Chunk readChunk() throws IOException {
    String sizeLine;
    try {
      sizeLine = line();
    } catch (EOFException e) {
      return null;
    }
    int size = Integer.parseInt(sizeLine.trim(), 16);
    byte[] data = in.readNBytes(size);
    if (data.length == size) {
      if (size == 0) {
        expect("", line()); // no trailers
      } else {
        expect("", line());
      }
    }
    return new Chunk(size, data);
  }

  /** Reads chunks until a whole line (newline included) is assembled; returns it decoded. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      Chunk chunk = readChunk();
      if (chunk == null || !chunk.complete() || chunk.declaredSize() == 0) {
        throw new EOFException("stream ended inside or before a line; had: " + line.toString(StandardCharsets.UTF_8));
      }
      line.write(chunk.data());
      byte[] bytes = line.toByteArray();
      if (bytes[bytes.length - 1] == '\n') {
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }
  }

  JsonNode readEvent() throws IOException {
    return MAPPER.readTree(readLine());
  }

  /** Whether the server closed the connection (read returns end of stream). */
  boolean atEndOfStream() throws IOException {
    return in.read() < 0;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("end of stream in a header line: " + line);
      }
      line.write(b);
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static void expect(String expected, String actual) throws IOException {
    if (!expected.equals(actual)) {
      throw new IOException("expected chunk terminator, got: " + actual);
    }
  }
}
