package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lists served from {@link RawListSource}s, paginated as the real server paginates (a continue token
 * carrying the first page's resourceVersion, remainingItemCount), or streamed as a WatchList's initial
 * ADDED events ({@link #initialEvents}). Only whole-cluster lists without selectors: a benchmark's bulk,
 * not a fixture for selector tests.
 */
final class RawLists {
  private final Map<SimResource, RawListSource> sources = new ConcurrentHashMap<>();

  void put(SimResource resource, RawListSource source) {
    sources.put(resource, source);
  }

  /** @return whether the list was answered here */
  boolean serve(SimResource resource, String namespace, ObjectFilter filter, HttpRequest request, ClusterState state,
      ResponseWriter out) throws IOException {
    RawListSource source = sources.get(resource);
    if (source == null) {
      return false;
    }
    ObjectNode refusal = refusal(resource, namespace, filter);
    if (refusal != null) {
      out.json(400, refusal);
      return true;
    }
    int limit = request.param("limit") == null ? 0 : Integer.parseInt(request.param("limit"));
    String continueValue = request.param("continue");
    ContinueToken from = continueValue == null ? null : ContinueToken.decode(continueValue);
    long resourceVersion = from == null ? state.resourceVersion() : from.resourceVersion();
    int start = from == null ? 0 : Integer.parseInt(from.lastKey()) + 1;
    int end = limit <= 0 ? source.size() : (int) Math.min(source.size(), (long) start + limit);
    ObjectNode list = Json.object();
    list.put("kind", resource.listKind());
    list.put("apiVersion", resource.apiVersion());
    ObjectNode metadata = list.putObject("metadata");
    metadata.put("resourceVersion", Long.toString(resourceVersion));
    if (end < source.size()) {
      metadata.put("continue", new ContinueToken(resourceVersion, Integer.toString(end - 1)).encode());
      metadata.put("remainingItemCount", source.size() - end);
    }
    StringBuilder items = new StringBuilder(Math.max(16, (end - start) * 2600));
    items.append('[');
    for (int i = start; i < end; i++) {
      if (i > start) {
        items.append(',');
      }
      source.appendItem(i, items);
    }
    items.append(']');
    list.putRawValue("items", new RawValue(items.toString()));
    out.json(200, list);
    return true;
  }

  /**
   * The initial events of a WatchList (sendInitialEvents=true) of a resource served from a raw source, or
   * null when it has none. A watch that is refused ({@link #refusal}) must be answered before this.
   */
  InitialEvents initialEvents(SimResource resource) {
    RawListSource source = sources.get(resource);
    return source == null ? null : new InitialEvents(resource, source);
  }

  /** Why a read of a raw-source resource with this namespace or filter is refused, or null when it is not. */
  ObjectNode refusal(SimResource resource, String namespace, ObjectFilter filter) {
    if (!sources.containsKey(resource) || (namespace == null && !filter.selective())) {
      return null;
    }
    return Status.failure(400, "BadRequest", resource.qualifiedName() + " is served from a raw list source:"
        + " only lists of all namespaces without selectors");
  }

  /**
   * A raw source's objects as ADDED watch lines, each written when it is asked for, so that a WatchList
   * of a million objects holds one of them at a time, as the raw pages do.
   */
  static final class InitialEvents {
    private final RawListSource source;
    private final String head;
    private final StringBuilder item = new StringBuilder(4096);
    private final StringBuilder line = new StringBuilder(4096);

    private InitialEvents(SimResource resource, RawListSource source) {
      this.source = source;
      // A watch event's object is the object itself, kind and apiVersion included, where a built-in list's
      // items leave them out (meta/v1 WatchEvent: "If Type is Added or Modified: the new state of the
      // object"; the watch example of kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
      // shows ADDED events of {"kind": "Pod", "apiVersion": "v1", ...}).
      this.head = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"" + resource.kind() + "\",\"apiVersion\":\""
          + resource.apiVersion() + "\"";
    }

    int size() {
      return source.size();
    }

    /** The watch line of object {@code index}, newline-terminated. */
    byte[] line(int index) {
      item.setLength(0);
      source.appendItem(index, item);
      if (item.length() < 2 || item.charAt(0) != '{') {
        throw new IllegalStateException("raw list item " + index + " is not a JSON object: " + item);
      }
      line.setLength(0);
      line.append(head);
      if (item.charAt(1) != '}') {
        line.append(',');
      }
      line.append(item, 1, item.length()).append("}\n"); // the item's fields after the kind and apiVersion
      return line.toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
