package io.kube2kafka.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The {@code kafka} block. */
public record KafkaSettings(String bootstrapServers, String topicTemplate, String checkpointTopic, String notificationTopic,
                            String signalTopic, boolean exactlyOnce,
                            String transactionalId, int partitions, int replicationFactor, Map<String, String> topicConfig,
                            int maxBatchEvents, long maxQueuedBytes, Duration shutdownTimeout,
                            Map<String, String> producer, Path embeddedDataDir, int embeddedPort) {

    /**
     * Whether a Kafka client setting says how to reach the brokers securely (security.protocol,
     * sasl.*, ssl.*): the settings every client of the bridge needs, not only the producer.
     */
    public static boolean isConnectionSecurity(String clientKey) {
        return clientKey.startsWith("security.") || clientKey.startsWith("sasl.") || clientKey.startsWith("ssl.");
    }

    public boolean embedded() {
        return bootstrapServers.isEmpty();
    }

    public KafkaSettings withBootstrapServers(String servers) {
        return new KafkaSettings(servers, topicTemplate, checkpointTopic, notificationTopic, signalTopic, exactlyOnce, transactionalId, partitions,
                replicationFactor, topicConfig, maxBatchEvents, maxQueuedBytes, shutdownTimeout, producer, embeddedDataDir, embeddedPort);
    }
}
