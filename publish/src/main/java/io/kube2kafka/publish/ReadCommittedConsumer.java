package io.kube2kafka.publish;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings of every consumer kube2kafka opens (the topic index, the checkpoints, {@code tail}):
 * one place, so no reader can differ from the others in what it sees or what it does to the cluster.
 */
public final class ReadCommittedConsumer {
    private ReadCommittedConsumer() {
    }

    /**
     * @param clientConfig where the brokers are and how to reach them
     * @return read_committed (aborted records of a crashed bridge are never taken for state), bytes
     *     in and out, no group and no committed offsets (every read starts where its caller seeks),
     *     and never auto-creating a topic
     */
    public static Map<String, Object> config(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // Kafka's default is true: on a broker that auto-creates (Apache's default), asking for the
        // partitions of a topic that does not exist yet creates it with the broker's defaults (not
        // compacted, the broker's partition count), and the bridge or Connect's topic.creation.* then
        // finds it present and leaves it wrong. A missing topic must stay missing until it is created
        // on purpose.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return config;
    }

    /** Whether every partition's position has reached its offset in {@code end} (for read_committed, the last stable offset). */
    public static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
