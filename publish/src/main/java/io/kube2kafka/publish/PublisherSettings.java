package io.kube2kafka.publish;

import java.time.Duration;
import java.util.Map;

/**
 * @param producerConfig the complete producer configuration (bootstrap servers, the user's overrides)
 * @param transactionalId null for at-least-once
 */
public record PublisherSettings(Map<String, Object> producerConfig, String transactionalId, String checkpointTopic, String notificationTopic,
                                int maxBatchEvents, long maxQueuedBytes, Duration shutdownTimeout) {

    public boolean exactlyOnce() {
        return transactionalId != null;
    }
}
