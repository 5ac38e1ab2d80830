package io.kube2kafka.connect;

import io.kube2kafka.config.KafkaSettings;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka client settings a task reads its topics with (the comparison after a list needs what
 * the topic holds). A connector never sees its worker's own settings, so on a cluster that needs
 * TLS or SASL the task takes them from the connector's {@code producer.override.security.*},
 * {@code sasl.*} and {@code ssl.*}: the credentials of the producer that writes those topics.
 */
final class TopicReaderConfig {
    static final String PRODUCER_OVERRIDE = "producer.override.";

    private TopicReaderConfig() {
    }

    static Map<String, Object> from(String bootstrapServers, Map<String, String> connectorProps) {
        Map<String, Object> config = new HashMap<>();
        connectorProps.forEach((key, value) -> {
            if (key.startsWith(PRODUCER_OVERRIDE)) {
                String clientKey = key.substring(PRODUCER_OVERRIDE.length());
                if (KafkaSettings.isConnectionSecurity(clientKey)) {
                    config.put(clientKey, value);
                }
            }
        });
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }
}
