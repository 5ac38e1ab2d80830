package io.kube2kafka.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request as {@link ApiHandler} sees it, whichever protocol brought it: read straight off an
 * HTTP/1.1 socket ({@link #read}), its body (Content-Length only) included, or handed over by an
 * HTTP server library ({@link #of}). The simulator serves GET, and POST for SelfSubjectAccessReviews.
 *
 * @param version the protocol: "HTTP/1.1", "HTTP/1.0" or "HTTP/2.0"
 */
record HttpRequest(String method, String path, Map<String, String> query, Map<String, String> headers, String version,
    byte[] body) {

  /** Bounds a request head so that a broken client cannot exhaust memory. */
  private static final int MAX_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 200;
  /** Bounds a request body for the same reason; an access review is a few hundred bytes. */
  private static final int MAX_BODY = 1024 * 1024;

  static final class BadRequestException extends IOException {
    BadRequestException(String message) {
      super(message);
    }
  }

  /** Reads the next request, or returns null when the client closed the connection between requests. */
  static HttpRequest read(InputStream in) throws IOException {
    String requestLine = readLine(in);
    while (requestLine != null && requestLine.isEmpty()) { // RFC 9112 2.2: ignore leading empty lines
      requestLine = readLine(in);
    }
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequestException("malformed request line: " + requestLine);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); ; line = readLine(in)) {
      if (line == null) {
        throw new BadRequestException("connection closed inside the request head");
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || headers.size() >= MAX_HEADERS) {
        throw new BadRequestException("malformed header: " + line);
      }
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return of(parts[0], parts[1], headers, parts[2], readBody(in, headers));
  }

  /**
   * @param target the path and query as sent, still percent-encoded
   * @param headers names in lower case
   */
  static HttpRequest of(String method, String target, Map<String, String> headers, String version, byte[] body) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : target.substring(q + 1).split("&")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        query.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return new HttpRequest(method, decode(path), query, headers, version, body);
  }

  boolean keepAlive() {
    String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    return version.equals("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
  }

  String param(String name) {
    String value = query.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  boolean flag(String name) {
    String value = query.get(name);
    return "1".equals(value) || "true".equalsIgnoreCase(value);
  }

  RecordedRequest recorded() {
    return new RecordedRequest(method, path, query, headers, version);
  }

  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    if (headers.containsKey("transfer-encoding")) {
      throw new BadRequestException("chunked request bodies are not supported");
    }
    String length = headers.get("content-length");
    if (length == null) {
      return new byte[0];
    }
    long size;
    try {
      size = Long.parseLong(length);
    } catch (NumberFormatException e) {
      throw new BadRequestException("bad content-length: " + length);
    }
    if (size < 0 || size > MAX_BODY) {
      throw new BadRequestException("content-length " + size + " is not between 0 and " + MAX_BODY);
    }
    byte[] body = in.readNBytes((int) size);
    if (body.length < size) {
      throw new BadRequestException("body shorter than content-length");
    }
    return body;
  }

  /** A CRLF- (or bare LF-) terminated ISO-8859-1 line, or null at end of stream before any byte. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        if (line.size() == 0) return null;
        throw new BadRequestException("connection closed mid-line");
      }
      if (b == '\n') break;
      if (line.size() >= MAX_LINE) throw new BadRequestException("request line or header too long");
      line.write(b);
    }
    byte[] bytes = line.toByteArray();
    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
