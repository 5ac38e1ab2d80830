package io.kube2kafka.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a read_committed consumer sees in a topic: every record, and the compacted view by key. */
public final class TopicContents {
    private final List<ConsumerRecord<byte[], byte[]>> records;

    private TopicContents(List<ConsumerRecord<byte[], byte[]>> records) {
        this.records = records;
    }

    /** Every committed record now in the topic (empty when the topic does not exist). */
    public static TopicContents read(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(30)).get(topic);
            if (infos == null) {
                return new TopicContents(all);
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(100)).forEach(all::add);
            }
        }
        return new TopicContents(all);
    }

    public List<ConsumerRecord<byte[], byte[]>> records() {
        return records;
    }

    /** Records that carry an event (tombstones left out). */
    public List<ConsumerRecord<byte[], byte[]>> events() {
        return records.stream().filter(r -> r.value() != null).toList();
    }

    /** The compacted view: uid to the last value's resourceVersion header, deleted keys removed. */
    public Map<String, String> liveResourceVersions() {
        Map<String, String> live = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                live.remove(key);
            } else {
                live.put(key, header(record, "k8s.resourceVersion"));
            }
        }
        return live;
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static String value(ConsumerRecord<byte[], byte[]> record) {
        return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    }
}
