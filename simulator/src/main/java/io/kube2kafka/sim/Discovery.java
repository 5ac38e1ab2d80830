package io.kube2kafka.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The discovery documents: /version, /api, /apis, /apis/{group} and each group version. */
final class Discovery {
  private Discovery() {}

  static ObjectNode version() {
    ObjectNode v = Json.object();
    v.put("major", "1").put("minor", "31").put("gitVersion", "v1.31.0")
        .put("gitCommit", "9edcffcde5595e8a5b1a35f88c421764e575afce").put("gitTreeState", "clean")
        .put("buildDate", "2024-08-13T07:28:49Z").put("goVersion", "go1.22.5")
        .put("compiler", "gc").put("platform", "linux/amd64");
    return v;
  }

  static ObjectNode apiVersions(String serverAddress) {
    ObjectNode doc = Json.object();
    doc.put("kind", "APIVersions");
    doc.putArray("versions").add("v1");
    doc.putArray("serverAddressByClientCIDRs").addObject()
        .put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
    return doc;
  }

  static ObjectNode groupList(List<SimResource> resources) {
    ObjectNode doc = Json.object();
    doc.put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    groupVersions(resources).forEach((group, versions) -> groups.add(group(group, versions)));
    return doc;
  }

  /** The APIGroup document for /apis/{group}, or null when the group is not served. */
  static ObjectNode groupOrNull(List<SimResource> resources, String group) {
    List<String> versions = groupVersions(resources).get(group);
    if (versions == null) {
      return null;
    }
    ObjectNode doc = group(group, versions);
    doc.put("kind", "APIGroup").put("apiVersion", "v1");
    return doc;
  }

  static ObjectNode resourceList(ResourceRegistry registry, String group, String version) {
    List<SimResource> all = registry.all();
    ObjectNode doc = Json.object();
    doc.put("kind", "APIResourceList");
    doc.put("apiVersion", "v1");
    doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode list = doc.putArray("resources");
    for (SimResource r : all) {
      if (!r.group().equals(group) || !r.version().equals(version)) continue;
      ObjectNode entry = list.addObject();
      entry.put("name", r.plural()).put("singularName", r.singularName())
          .put("namespaced", r.namespaced()).put("kind", r.kind());
      ArrayNode verbs = entry.putArray("verbs");
      registry.verbs(r).forEach(verbs::add);
      if (!r.shortNames().isEmpty()) {
        ArrayNode shortNames = entry.putArray("shortNames");
        r.shortNames().forEach(shortNames::add);
      }
      if (r.builtIn() && r.plural().equals("pods")) {
        entry.putArray("categories").add("all");
      }
      if (r.hasStatusSubresource()) {
        ObjectNode status = list.addObject();
        status.put("name", r.plural() + "/status").put("singularName", "")
            .put("namespaced", r.namespaced()).put("kind", r.kind());
        status.putArray("verbs").add("get").add("patch").add("update");
      }
    }
    return doc;
  }

  private static Map<String, List<String>> groupVersions(List<SimResource> resources) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (SimResource r : resources) {
      if (r.group().isEmpty()) continue;
      List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
      if (!versions.contains(r.version())) versions.add(r.version());
    }
    return groups;
  }

  /** The first registered version is the preferred one. */
  static ObjectNode group(String name, List<String> versions) {
    ObjectNode group = Json.object();
    group.put("name", name);
    ArrayNode list = group.putArray("versions");
    for (String v : versions) {
      list.addObject().put("groupVersion", name + "/" + v).put("version", v);
    }
    group.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version", versions.get(0));
    return group;
  }
}
