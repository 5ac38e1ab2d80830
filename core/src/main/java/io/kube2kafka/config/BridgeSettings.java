package io.kube2kafka.config;

import io.kube2kafka.cluster.ConnectionSettings;
import io.kube2kafka.watch.WatchSettings;

import java.time.Duration;
import java.util.List;

/**
 * The whole validated configuration of one bridge.
 *
 * @param clusters never empty: the single top-level cluster, or the entries of {@code clusters}, in
 *     configuration order
 * @param discoveryInterval how often discovery runs again for a cluster with {@code resources = ["*"]}
 */
public record BridgeSettings(List<ClusterSettings> clusters, WatchSettings watch, KafkaSettings kafka, OutputSettings output,
                             int httpPort, String httpAddress, Duration discoveryInterval) {
    /** The default of watch.discovery-interval. */
    public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofSeconds(30);

    public BridgeSettings {
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("at least one cluster");
        }
        clusters = List.copyOf(clusters);
    }

    /** With the default watch.discovery-interval. */
    public BridgeSettings(List<ClusterSettings> clusters, WatchSettings watch, KafkaSettings kafka, OutputSettings output,
                          int httpPort, String httpAddress) {
        this(clusters, watch, kafka, output, httpPort, httpAddress, DEFAULT_DISCOVERY_INTERVAL);
    }

    public boolean severalClusters() {
        return clusters.size() > 1;
    }

    /** The only cluster; for code that serves one cluster (Connect, the benchmark). */
    public ClusterSettings onlyCluster() {
        if (severalClusters()) {
            throw new IllegalStateException("several clusters are configured: " + clusters.stream().map(ClusterSettings::cluster).toList());
        }
        return clusters.get(0);
    }

    /** The only cluster's name. */
    public String cluster() {
        return onlyCluster().cluster();
    }

    /** The only cluster's connection. */
    public ConnectionSettings kubernetes() {
        return onlyCluster().kubernetes();
    }

    /** With this watch.discovery-interval; tests use a short one. */
    public BridgeSettings withDiscoveryInterval(Duration interval) {
        return new BridgeSettings(clusters, watch, kafka, output, httpPort, httpAddress, interval);
    }

    /** The only cluster's resources. */
    public List<ResourceSpec> resources() {
        return onlyCluster().resources();
    }

    /**
     * The producer's transactional.id: the template with {cluster} replaced by the first cluster's name.
     * With several clusters that keeps the id stable as long as the first entry stays first; a template
     * without {cluster} is stable whatever the order.
     */
    public String transactionalId() {
        return kafka.transactionalId().replace("{cluster}", clusters.get(0).cluster());
    }

    public BridgeSettings withKafka(KafkaSettings newKafka) {
        return new BridgeSettings(clusters, watch, newKafka, output, httpPort, httpAddress, discoveryInterval);
    }

    public BridgeSettings withKubernetes(ConnectionSettings newKubernetes) {
        ClusterSettings only = onlyCluster();
        return withClusters(List.of(new ClusterSettings(only.cluster(), newKubernetes, only.resources(), only.exclude())));
    }

    public BridgeSettings withResources(List<ResourceSpec> newResources) {
        ClusterSettings only = onlyCluster();
        return withClusters(List.of(new ClusterSettings(only.cluster(), only.kubernetes(), newResources, only.exclude())));
    }

    public BridgeSettings withClusters(List<ClusterSettings> newClusters) {
        return new BridgeSettings(newClusters, watch, kafka, output, httpPort, httpAddress, discoveryInterval);
    }
}
