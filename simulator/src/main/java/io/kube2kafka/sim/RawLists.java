package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lists served from {@link RawListSource}s, paginated as the real server paginates (a continue token
 * carrying the first page's resourceVersion, remainingItemCount). Only whole-cluster lists without
 * selectors: a benchmark's bulk, not a fixture for selector tests.
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
    if (namespace != null || filter.selective()) {
      out.json(400, Status.failure(400, "BadRequest", resource.qualifiedName() + " is served from a raw list source:"
          + " only lists of all namespaces without selectors"));
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
}
