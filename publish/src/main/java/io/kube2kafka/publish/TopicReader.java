package io.kube2kafka.publish;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);
    private final Map<String, Object> consumerConfig;
    /** As consumerConfig, but values are only told apart from tombstones, never copied (see readAllWithoutValues). */
    private final Map<String, Object> withoutValuesConfig;

    public TopicReader(Map<String, Object> clientConfig) {
        Map<String, Object> config = ReadCommittedConsumer.config(clientConfig);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.consumerConfig = config;
        this.withoutValuesConfig = new HashMap<>(config);
        withoutValuesConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ValuePresence.class);
        // The index of a million objects is read next to the table it fills: Kafka's default fetch of up
        // to 50 MiB (decompressed on top) took a 256 MiB heap to 194 MiB live; 8 MiB reads as fast here.
        withoutValuesConfig.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 8 << 20);
        withoutValuesConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
    }

    /**
     * A value deserializer that copies nothing: a present value becomes an empty array, a tombstone
     * stays null. Reading a million 2 KB objects' index otherwise copies 2 GB of values nobody reads.
     */
    public static final class ValuePresence implements org.apache.kafka.common.serialization.Deserializer<byte[]> {
        private static final byte[] PRESENT = new byte[0];

        @Override
        public byte[] deserialize(String topic, byte[] data) {
            return data == null ? null : PRESENT;
        }

        @Override
        public byte[] deserialize(String topic, org.apache.kafka.common.header.Headers headers, java.nio.ByteBuffer data) {
            return data == null ? null : PRESENT;
        }
    }

    /** Calls {@code each} for every committed record now in the topic, in order per partition. */
    public void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        readAll(topic, Map.of(), each);
    }

    /**
     * Calls {@code each} for every committed record now in the topic, in order per partition, reading
     * on until it has passed {@code mustPass}: per partition, the offset of a record the caller knows
     * is committed. The end offsets read_committed reports (the last stable offset) can stop short of
     * such a record: Kafka acknowledges a commit before the transaction's markers are written, and
     * another producer's open transaction on the topic holds the last stable offset back until it ends.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when the read stays short of {@code mustPass}
     *     for {@link #STALL_TIMEOUT}, naming the partition and both offsets
     */
    public void readAll(String topic, Map<Integer, Long> mustPass, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        readAll(consumerConfig, topic, mustPass, each);
    }

    /**
     * As {@link #readAll(String, Map, Consumer)}, for readers that need keys and headers only: each
     * record's value is an empty array, or null for a tombstone.
     */
    public void readAllWithoutValues(String topic, Map<Integer, Long> mustPass, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        readAll(withoutValuesConfig, topic, mustPass, each);
    }

    private void readAll(Map<String, Object> config, String topic, Map<Integer, Long> mustPass, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed, endOffsets is the last stable offset: everything before it is decided.
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(60)));
            mustPass.forEach((partition, offset) -> end.computeIfPresent(new TopicPartition(topic, partition), (tp, e) -> Math.max(e, offset + 1)));
            long progressed = System.nanoTime();
            long read = 0;
            boolean waitingSaid = false;
            while (!ReadCommittedConsumer.reachedEnd(consumer, end)) {
                int polled = 0;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(record);
                    polled++;
                }
                long position = positions(consumer, end);
                if (polled > 0 || position > read) {
                    read = position;
                    progressed = System.nanoTime();
                    waitingSaid = false;
                } else if (!waitingSaid && System.nanoTime() - progressed > STALL_NOTICE.toNanos()) {
                    waitingSaid = true;
                    log.info("still reading {}: {}; waiting up to {} s", topic, shortfall(consumer, end), STALL_TIMEOUT.toSeconds());
                } else if (System.nanoTime() - progressed > STALL_TIMEOUT.toNanos()) {
                    throw new org.apache.kafka.common.errors.TimeoutException("reading " + topic + " made no progress for "
                            + STALL_TIMEOUT.toSeconds() + " s: " + shortfall(consumer, end));
                }
            }
        }
    }

    /**
     * How long a read may wait, without progress, for records it knows are committed: longer than
     * Kafka's default transaction.timeout.ms (60 s), after which the broker aborts a transaction its
     * producer left open, and the last stable offset moves on.
     */
    static final Duration STALL_TIMEOUT = Duration.ofMinutes(2);
    /** When a read that waits is said in the log, so a slow relist is never silent. */
    private static final Duration STALL_NOTICE = Duration.ofSeconds(10);

    private static long positions(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        long sum = 0;
        for (TopicPartition tp : end.keySet()) {
            sum += consumer.position(tp);
        }
        return sum;
    }

    private static String shortfall(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        StringBuilder text = new StringBuilder();
        end.forEach((tp, offset) -> {
            long position = consumer.position(tp);
            if (position < offset) {
                text.append(text.length() == 0 ? "" : "; ").append(tp).append(" stays at offset ").append(position)
                        .append(", short of committed records up to offset ").append(offset - 1);
            }
        });
        return text + " (read_committed stops at the last stable offset, held back, most likely, by another producer's open"
                + " transaction, which the broker aborts after that producer's transaction.timeout.ms)";
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
}
