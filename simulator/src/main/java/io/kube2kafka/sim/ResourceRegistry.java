package io.kube2kafka.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The resources the server serves, in registration order (the order discovery lists them). */
final class ResourceRegistry {
  /** core/v1 namespaces: the server always holds kube-system, whose uid is the cluster's identity. */
  static final SimResource NAMESPACES = SimResource.builtIn("", "v1", "namespaces", "Namespace", false);
  /** The verbs discovery lists for a resource unless {@link #setVerbs} says otherwise. */
  static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final List<SimResource> resources = new CopyOnWriteArrayList<>();
  private final Map<SimResource, List<String>> verbs = new ConcurrentHashMap<>();
  /** Groups whose backend is down, as an aggregated API's can be: every request to them answers 503. */
  private final Set<String> unavailableGroups = ConcurrentHashMap.newKeySet();

  static List<SimResource> standard() {
    return List.of(
        SimResource.builtIn("", "v1", "pods", "Pod", true),
        SimResource.builtIn("", "v1", "configmaps", "ConfigMap", true),
        SimResource.builtIn("", "v1", "secrets", "Secret", true),
        NAMESPACES,
        SimResource.builtIn("", "v1", "services", "Service", true),
        SimResource.builtIn("", "v1", "events", "Event", true),
        SimResource.builtIn("apps", "v1", "deployments", "Deployment", true),
        SimResource.builtIn("events.k8s.io", "v1", "events", "Event", true));
  }

  synchronized void add(SimResource resource) {
    boolean clash = resources.stream().anyMatch(r -> r.group().equals(resource.group())
        && r.version().equals(resource.version()) && r.plural().equals(resource.plural()));
    if (!clash) {
      resources.add(resource);
    }
  }

  /** Stops serving {@code resource}: discovery no longer lists it and its requests answer 404. */
  synchronized void remove(SimResource resource) {
    resources.remove(resource);
    verbs.remove(resource);
  }

  List<SimResource> all() {
    return List.copyOf(resources);
  }

  /**
   * Resolves "pods", "deployments.apps" or "widgets.example.com". A bare plural prefers the core
   * group, as kubectl does, so "events" is core/v1 events and "events.events.k8s.io" the other.
   */
  SimResource resolve(String name) {
    for (SimResource r : resources) {
      if (r.qualifiedName().equals(name)) return r;
    }
    List<SimResource> byPlural = new ArrayList<>();
    for (SimResource r : resources) {
      if (r.plural().equals(name)) byPlural.add(r);
    }
    return byPlural.stream().filter(r -> r.group().isEmpty()).findFirst()
        .or(() -> byPlural.stream().findFirst())
        .orElseThrow(() -> new IllegalArgumentException("the server doesn't have a resource type \"" + name + "\""));
  }

  Optional<SimResource> find(String group, String version, String plural) {
    return resources.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  /** What discovery lists as the verbs of {@code resource}. */
  List<String> verbs(SimResource resource) {
    return verbs.getOrDefault(resource, ALL_VERBS);
  }

  void setVerbs(SimResource resource, List<String> newVerbs) {
    verbs.put(resource, List.copyOf(newVerbs));
  }

  boolean isUnavailable(String group) {
    return !group.isEmpty() && unavailableGroups.contains(group);
  }

  void setUnavailable(String group, boolean unavailable) {
    if (unavailable) {
      unavailableGroups.add(group);
    } else {
      unavailableGroups.remove(group);
    }
  }

  boolean servesGroupVersion(String group, String version) {
    return resources.stream().anyMatch(r -> r.group().equals(group) && r.version().equals(version));
  }
}
