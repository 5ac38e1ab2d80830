package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps metadata.managedFields as the API server's field manager does on every write: one entry per
 * manager, operation and subresource, whose time is the write's (whole seconds, UTC) and whose
 * fieldsV1 gains the fields the write changed; the list sorted as the server sorts it.
 *
 * <p>Simplified: ownership is tracked for top-level fields and for single labels and annotations
 * only, and a field another manager owned is not taken away from it (the real one moves it on an
 * Update and reports a conflict on an Apply). Clients of the simulator read who wrote what and when;
 * none computes field ownership.
 */
final class FieldManager {
  static final String APPLY = "Apply";
  static final String UPDATE = "Update";

  /**
   * The API server's order (sortEncodedManagedFields in
   * k8s.io/apimachinery/pkg/util/managedfields/internal/managedfields.go): operation ("Apply" before
   * "Update"), time, manager, apiVersion, subresource.
   */
  private static final Comparator<JsonNode> SERVER_ORDER = Comparator
      .comparing((JsonNode e) -> e.path("operation").asText())
      .thenComparing(e -> e.path("time").asText())
      .thenComparing(e -> e.path("manager").asText())
      .thenComparing(e -> e.path("apiVersion").asText())
      .thenComparing(e -> e.path("subresource").asText());

  private FieldManager() {}

  /** The entry of a create: the creator owns every field the object was created with. */
  static ArrayNode created(ObjectNode object, String manager, String operation, String apiVersion, String time) {
    ArrayNode entries = Json.array();
    ObjectNode entry = newEntry(manager, operation, apiVersion, time);
    ObjectNode fields = (ObjectNode) entry.get("fieldsV1");
    own(fields, Json.object(), object);
    entries.add(entry);
    return entries;
  }

  /** Records that {@code manager} wrote {@code after} (which was {@code before}) with {@code operation} at {@code time}. */
  static void recordWrite(ObjectNode before, ObjectNode after, String manager, String operation, String apiVersion, String time) {
    Objects.requireNonNull(manager, "manager");
    if (!APPLY.equals(operation) && !UPDATE.equals(operation)) {
      throw new IllegalArgumentException("operation must be Apply or Update, got " + operation);
    }
    ObjectNode metadata = after.with("metadata");
    JsonNode existing = metadata.get("managedFields");
    List<JsonNode> entries = new ArrayList<>();
    if (existing instanceof ArrayNode array) {
      array.forEach(entries::add);
    }
    ObjectNode entry = null;
    for (JsonNode candidate : entries) {
      if (manager.equals(candidate.path("manager").asText()) && operation.equals(candidate.path("operation").asText())
          && !candidate.has("subresource")) {
        entry = (ObjectNode) candidate;
      }
    }
    if (entry == null) {
      entry = newEntry(manager, operation, apiVersion, time);
      entries.add(entry);
    }
    entry.put("apiVersion", apiVersion);
    entry.put("time", time);
    own(entry.with("fieldsV1"), before, after);
    entries.sort(SERVER_ORDER);
    ArrayNode sorted = metadata.putArray("managedFields");
    entries.forEach(sorted::add);
  }

  private static ObjectNode newEntry(String manager, String operation, String apiVersion, String time) {
    ObjectNode entry = Json.object();
    entry.put("manager", manager);
    entry.put("operation", operation);
    entry.put("apiVersion", apiVersion);
    entry.put("time", time);
    entry.put("fieldsType", "FieldsV1");
    entry.putObject("fieldsV1");
    return entry;
  }

  /** Adds to {@code fields} (FieldsV1: "f:name" keys) what differs between {@code before} and {@code after}. */
  private static void own(ObjectNode fields, JsonNode before, JsonNode after) {
    Iterator<Map.Entry<String, JsonNode>> members = after.fields();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> member = members.next();
      String name = member.getKey();
      if (name.equals("kind") || name.equals("apiVersion")) {
        continue;
      }
      if (name.equals("metadata")) {
        for (String map : new String[] {"labels", "annotations"}) {
          Iterator<Map.Entry<String, JsonNode>> keys = member.getValue().path(map).fields();
          while (keys.hasNext()) {
            Map.Entry<String, JsonNode> key = keys.next();
            if (!key.getValue().equals(before.path("metadata").path(map).get(key.getKey()))) {
              fields.with("f:metadata").with("f:" + map).putObject("f:" + key.getKey());
            }
          }
        }
      } else if (!member.getValue().equals(before.get(name))) {
        fields.with("f:" + name);
      }
    }
  }
}
