package io.kube2kafka.config;

import io.kube2kafka.cluster.ConnectionSettings;
import io.kube2kafka.watch.WatchSettings;

import java.util.List;

/** The whole validated configuration of one bridge. */
public record BridgeSettings(String cluster, ConnectionSettings kubernetes, List<ResourceSpec> resources,
                             WatchSettings watch, KafkaSettings kafka, OutputSettings output, int httpPort,
                             String httpAddress) {

    public BridgeSettings withKafka(KafkaSettings newKafka) {
        return new BridgeSettings(cluster, kubernetes, resources, watch, newKafka, output, httpPort, httpAddress);
    }

    public BridgeSettings withKubernetes(ConnectionSettings newKubernetes) {
        return new BridgeSettings(cluster, newKubernetes, resources, watch, kafka, output, httpPort, httpAddress);
    }

    public BridgeSettings withResources(List<ResourceSpec> newResources) {
        return new BridgeSettings(cluster, kubernetes, newResources, watch, kafka, output, httpPort, httpAddress);
    }
}
