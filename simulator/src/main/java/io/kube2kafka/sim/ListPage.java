package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Builds one page of a list response from a consistent snapshot.
 *
 * <p>Like the real server: every page of one list shows the snapshot at the first page's
 * resourceVersion; "continue" is set while keys remain after the page even when none of them
 * match the selector (so a page may come back empty); remainingItemCount is only given without
 * selectors; items of built-in lists carry no kind or apiVersion.
 */
final class ListPage {
  private ListPage() {}

  static ObjectNode build(ClusterState state, SimResource resource, String namespace, ObjectFilter filter,
      int limit, String continueValue) throws ResourceExpiredException {
    ContinueToken from = continueValue == null ? null : ContinueToken.decode(continueValue);
    ClusterState.Snapshot snapshot = state.snapshot(resource, from == null ? null : from.resourceVersion());
    NavigableMap<String, ObjectNode> candidates = from == null ? snapshot.objects() : snapshot.objects().tailMap(from.lastKey(), false);

    ObjectNode list = Json.object();
    list.put("kind", resource.listKind());
    list.put("apiVersion", resource.apiVersion());
    ObjectNode metadata = list.putObject("metadata");
    metadata.put("resourceVersion", Long.toString(snapshot.resourceVersion()));
    ArrayNode items = list.putArray("items");

    String lastKey = null;
    long remaining = 0;
    for (Map.Entry<String, ObjectNode> entry : candidates.entrySet()) {
      ObjectNode object = entry.getValue();
      if (namespace != null && !namespace.equals(object.path("metadata").path("namespace").asText(null))) {
        continue;
      }
      if (limit > 0 && items.size() >= limit) {
        remaining++;
        continue;
      }
      lastKey = entry.getKey();
      if (filter.test(object)) {
        items.add(asListItem(resource, object));
      }
    }
    if (remaining > 0) {
      metadata.put("continue", new ContinueToken(snapshot.resourceVersion(), lastKey).encode());
      if (!filter.selective()) {
        metadata.put("remainingItemCount", remaining);
      }
    }
    return list;
  }

  static ObjectNode asListItem(SimResource resource, ObjectNode object) {
    ObjectNode item = object.deepCopy();
    if (resource.builtIn()) {
      item.remove("kind");
      item.remove("apiVersion");
    }
    return item;
  }
}
