package io.kube2kafka.publish;

import io.kube2kafka.config.KafkaSettings;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings of every Kafka client kube2kafka makes from the kafka.* keys: the bridge's producer,
 * its topic readers and admin client, and the commands that read topics. One place, so a security
 * setting given for the producer reaches every client.
 */
public final class KafkaClients {
    private KafkaClients() {
    }

    /** Settings every Kafka client of the bridge shares: where the brokers are and how to reach them securely. */
    public static Map<String, Object> clientConfig(KafkaSettings kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.producer().forEach((key, value) -> {
            if (KafkaSettings.isConnectionSecurity(key)) {
                config.put(key, value);
            }
        });
        config.put("bootstrap.servers", kafka.bootstrapServers());
        return config;
    }

    /**
     * The Admin client's settings: the bridge's topic creation and limits, and {@code check}. A call Kafka
     * has not answered within 15 s fails (Kafka's default is a minute), so the caller's retry loop, or
     * check's report, says what it waits for instead of blocking silently.
     */
    public static Map<String, Object> adminConfig(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return config;
    }

    /** The publisher's producer settings; public so the benchmark's plain producer uses exactly the same. */
    public static Map<String, Object> producerConfig(KafkaSettings kafka, Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // commitTransaction() and flush() send at once whatever lingers, so linger only helps batching.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
        // Fail a send within a minute while the broker is down, so the retry loop (and its logs) take over.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.putAll(kafka.producer());
        config.put("bootstrap.servers", kafka.bootstrapServers());
        return config;
    }
}
