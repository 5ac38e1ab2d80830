package io.kube2kafka.sim;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One API resource the simulated server serves, e.g. core/v1 pods or a CRD such as
 * widgets.example.com/v1.
 *
 * <p>{@code builtIn} matters on the wire: the real API server strips {@code kind} and
 * {@code apiVersion} from the items of built-in lists but keeps them in custom-resource lists
 * (the CRD handler serves unstructured objects). The public constructor therefore makes a custom
 * resource; {@link #builtIn} is for the standard set.
 */
public record SimResource(
    String group, String version, String plural, String kind, boolean namespaced, boolean builtIn) {

  public SimResource {
    Objects.requireNonNull(group, "group");
    requireText(version, "version");
    requireText(plural, "plural");
    requireText(kind, "kind");
  }

  /** A custom resource (CRD); use the empty string as group only for core. */
  public SimResource(String group, String version, String plural, String kind, boolean namespaced) {
    this(group, version, plural, kind, namespaced, false);
  }

  static SimResource builtIn(String group, String version, String plural, String kind, boolean namespaced) {
    return new SimResource(group, version, plural, kind, namespaced, true);
  }

  /** "v1" for core, "group/version" otherwise. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "pods" for core, "deployments.apps" otherwise: the form kubectl and RBAC messages use. */
  public String qualifiedName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public String listKind() {
    return kind + "List";
  }

  public String singularName() {
    return kind.toLowerCase(Locale.ROOT);
  }

  /** The path prefix of this resource's group version: "/api/v1" or "/apis/apps/v1". */
  String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** The short names kubectl knows for the standard resources. */
  List<String> shortNames() {
    if (!builtIn) {
      return List.of();
    }
    return switch (plural) {
      case "pods" -> List.of("po");
      case "configmaps" -> List.of("cm");
      case "deployments" -> List.of("deploy");
      case "services" -> List.of("svc");
      case "namespaces" -> List.of("ns");
      case "events" -> List.of("ev");
      default -> List.of();
    };
  }

  /** Whether discovery lists a "/status" subresource; config-like kinds have no status. */
  boolean hasStatusSubresource() {
    return !(builtIn && List.of("configmaps", "secrets", "events").contains(plural));
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
