package io.kube2kafka.sim;

import java.util.Map;

/**
 * A request as the simulated server received it, for assertions.
 *
 * @param query decoded query parameters (the last value wins if one repeats)
 * @param headers header names in lower case
 * @param protocol as the server negotiated it: "HTTP/1.1" or "HTTP/2.0"
 */
public record RecordedRequest(
    String method, String path, Map<String, String> query, Map<String, String> headers, String protocol) {

  public RecordedRequest {
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
  }

  /** A watch that asks for the initial events first: a list streamed as a watch (WatchList). */
  public boolean isWatchList() {
    return isWatch() && "true".equals(query.get("sendInitialEvents"));
  }

  /** A list read page by page: a GET of a collection that is no watch, with a limit. */
  public boolean isPaginatedList() {
    return !isWatch() && query.containsKey("limit");
  }

  /** A list page that asks for the most recent data (no resourceVersion, no continue): how a list and comparison starts. */
  public boolean isConsistentList() {
    return isPaginatedList() && !query.containsKey("resourceVersion") && !query.containsKey("continue");
  }

  /** A GET of a discovery document: /api, /apis, /api/{version}, /apis/{group} or /apis/{group}/{version}. */
  public boolean isDiscovery() {
    return path.matches("/api(/[^/]+)?|/apis(/[^/]+){0,2}");
  }

  public boolean isWatch() {
    String watch = query.get("watch");
    return "1".equals(watch) || "true".equals(watch);
  }
}
