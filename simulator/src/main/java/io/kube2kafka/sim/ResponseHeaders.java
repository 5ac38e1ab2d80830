package io.kube2kafka.sim;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The headers kube-apiserver puts on every response, the same whichever protocol carries it. */
final class ResponseHeaders {
  private ResponseHeaders() {}

  static Map<String, String> standard(String contentType, Map<String, String> extraHeaders) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Audit-Id", UUID.randomUUID().toString());
    headers.put("Cache-Control", "no-cache, private");
    headers.put("Content-Type", contentType);
    headers.put("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    headers.putAll(extraHeaders);
    return headers;
  }
}
