package io.kube2kafka.config;

import io.kube2kafka.cluster.ConnectionSettings;

import java.util.List;

/**
 * One cluster the bridge streams from: its name (in topics, headers and checkpoint keys), how to reach
 * its API server and which resources to watch there. The top-level {@code cluster}, {@code kubernetes}
 * and {@code resources} keys make one; each entry of {@code clusters} makes another.
 */
public record ClusterSettings(String cluster, ConnectionSettings kubernetes, List<ResourceSpec> resources) {
}
