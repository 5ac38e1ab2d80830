package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Aggregated discovery (GA in Kubernetes 1.30): /api and /apis answer with one APIGroupDiscoveryList
 * holding every group version's resources when the client asks for it by media type, so discovering a
 * cluster takes two requests instead of one per group version. Built from the same documents the
 * per-group-version endpoints serve, so the two views cannot disagree. Field names and meanings are
 * apidiscovery.k8s.io/v2's (k8s.io/api/apidiscovery/v2/types.go): versions in order of preference,
 * subresources nested under their resource, and a group version whose aggregated API server did not
 * answer marked {@code freshness: Stale}.
 */
final class AggregatedDiscovery {
  /** The media type client-go asks for first (discovery_client.go: AcceptV2) and the server answers with. */
  static final String MEDIA_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
  static final Map<String, String> HEADERS = Map.of("Content-Type", MEDIA_TYPE);

  private AggregatedDiscovery() {}

  /** Whether the request's Accept header asks for the v2 aggregated document (the server's content negotiation). */
  static boolean wanted(HttpRequest request) {
    String accept = request.headers().get("accept");
    if (accept == null) {
      return false;
    }
    for (String type : accept.split(",")) {
      String t = type.replace(" ", "");
      if (t.startsWith("application/json;") && t.contains("g=apidiscovery.k8s.io") && t.contains("v=v2;")
          && t.contains("as=APIGroupDiscoveryList")) {
        return true;
      }
    }
    return false;
  }

  /** An APIGroupList's groups and their versions, preferred first, in its order. */
  static Map<String, List<String>> versionsOf(ObjectNode groupList) {
    Map<String, List<String>> versions = new LinkedHashMap<>();
    for (JsonNode group : groupList.path("groups")) {
      List<String> names = new ArrayList<>();
      group.path("versions").forEach(v -> names.add(v.path("version").asText()));
      versions.put(group.path("name").asText(), names);
    }
    return versions;
  }

  /**
   * @param groups group name ("" for core) to its versions, preferred first
   * @param resourceList the APIResourceList a group version serves, or null when its API server does not answer
   */
  static ObjectNode of(Map<String, List<String>> groups, BiFunction<String, String, ObjectNode> resourceList) {
    ObjectNode doc = Json.object();
    doc.put("kind", "APIGroupDiscoveryList").put("apiVersion", "apidiscovery.k8s.io/v2");
    doc.putObject("metadata");
    ArrayNode items = doc.putArray("items");
    groups.forEach((group, versions) -> {
      ObjectNode item = items.addObject();
      item.putObject("metadata").put("name", group);
      ArrayNode versionList = item.putArray("versions");
      for (String version : versions) {
        ObjectNode entry = versionList.addObject().put("version", version);
        ObjectNode legacy = resourceList.apply(group, version);
        if (legacy == null) {
          entry.put("freshness", "Stale");
          continue;
        }
        entry.set("resources", resources(group, version, legacy));
        entry.put("freshness", "Current");
      }
    });
    return doc;
  }

  private static ArrayNode resources(String group, String version, ObjectNode legacy) {
    Map<String, ObjectNode> byName = new LinkedHashMap<>();
    ArrayNode resources = Json.array();
    for (JsonNode entry : legacy.path("resources")) {
      String name = entry.path("name").asText();
      int slash = name.indexOf('/');
      if (slash >= 0) {
        ObjectNode parent = byName.get(name.substring(0, slash));
        if (parent != null) {
          ObjectNode sub = parent.withArray("subresources").addObject().put("subresource", name.substring(slash + 1));
          sub.putObject("responseKind").put("group", group).put("version", version).put("kind", entry.path("kind").asText());
          sub.set("verbs", entry.path("verbs").deepCopy());
        }
        continue;
      }
      ObjectNode resource = resources.addObject().put("resource", name);
      resource.putObject("responseKind").put("group", group).put("version", version).put("kind", entry.path("kind").asText());
      resource.put("scope", entry.path("namespaced").asBoolean() ? "Namespaced" : "Cluster");
      resource.put("singularResource", entry.path("singularName").asText());
      resource.set("verbs", entry.path("verbs").deepCopy());
      for (String list : new String[] {"shortNames", "categories"}) {
        if (entry.has(list)) {
          resource.set(list, entry.get(list).deepCopy());
        }
      }
      byName.put(name, resource);
    }
    return resources;
  }
}
