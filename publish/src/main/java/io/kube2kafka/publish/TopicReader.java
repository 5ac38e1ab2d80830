package io.kube2kafka.publish;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a topic from its beginning to its current end with read_committed, so aborted records (from
 * a bridge that crashed mid-transaction) are never taken for state. The state of the topic comes
 * from Kafka itself, not from local files: a bridge on a fresh machine sees the same.
 */
public final class TopicReader {
    private final Map<String, Object> consumerConfig;

    public TopicReader(Map<String, Object> clientConfig) {
        Map<String, Object> config = ReadCommittedConsumer.config(clientConfig);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.consumerConfig = config;
    }

    /** Calls {@code each} for every committed record now in the topic, in order per partition. */
    public void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed, endOffsets is the last stable offset: everything before it is decided.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            while (!reachedEnd(consumer, end)) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /** Where a record is in a topic. */
    public record Position(int partition, long offset) {
    }

    /**
     * The values of the records at these positions, read with one consumer in partition and offset
     * order; a position whose record is gone (compacted away) is absent from the result.
     */
    public Map<Position, byte[]> readAt(String topic, java.util.Collection<Position> positions) {
        Map<Position, byte[]> values = new HashMap<>();
        if (positions.isEmpty()) {
            return values;
        }
        java.util.TreeMap<Integer, java.util.TreeSet<Long>> wanted = new java.util.TreeMap<>();
        positions.forEach(p -> wanted.computeIfAbsent(p.partition(), k -> new java.util.TreeSet<>()).add(p.offset()));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            for (Map.Entry<Integer, java.util.TreeSet<Long>> partition : wanted.entrySet()) {
                TopicPartition tp = new TopicPartition(topic, partition.getKey());
                consumer.assign(List.of(tp));
                long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(60)).get(tp);
                java.util.TreeSet<Long> offsets = partition.getValue();
                consumer.seek(tp, offsets.first());
                while (!offsets.isEmpty() && consumer.position(tp) < end) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (offsets.remove(record.offset())) {
                            values.put(new Position(record.partition(), record.offset()), record.value());
                        }
                    }
                    // Skip the gap to the next wanted record instead of reading everything between.
                    Long next = offsets.ceiling(consumer.position(tp));
                    offsets.headSet(consumer.position(tp)).clear();
                    if (next != null && next > consumer.position(tp)) {
                        consumer.seek(tp, next);
                    }
                }
            }
        }
        return values;
    }

    /** Whether the topic exists; asking never creates it. */
    public boolean exists(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            return infos != null && !infos.isEmpty();
        }
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
