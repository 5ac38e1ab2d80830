package io.kube2kafka.config;

import io.kube2kafka.cluster.ConnectionSettings;

import java.util.List;

/**
 * One cluster the bridge streams from: its name (in topics, headers and checkpoint keys), how to reach
 * its API server and which resources to watch there. The top-level {@code cluster}, {@code kubernetes}
 * and {@code resources} keys make one; each entry of {@code clusters} makes another.
 *
 * @param exclude kubectl names left out of {@code resources = ["*"]}
 */
public record ClusterSettings(String cluster, ConnectionSettings kubernetes, List<ResourceSpec> resources, List<String> exclude) {
    /** The documented default of {@code exclude}: both kinds of events, noisy and short-lived. */
    public static final List<String> DEFAULT_EXCLUDE = List.of("events", "events.events.k8s.io");

    public ClusterSettings {
        resources = List.copyOf(resources);
        exclude = List.copyOf(exclude);
    }

    /** With the default exclude. */
    public ClusterSettings(String cluster, ConnectionSettings kubernetes, List<ResourceSpec> resources) {
        this(cluster, kubernetes, resources, DEFAULT_EXCLUDE);
    }

    /** Whether resources is {@code ["*"]}: the watches follow discovery while the bridge runs. */
    public boolean everyResource() {
        return resources.stream().anyMatch(ResourceSpec::everyResource);
    }
}
