package io.kube2kafka.cli;

import io.kube2kafka.publish.KafkaClients;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.publish.ReadCommittedConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "tail", description = "Print the committed records of a topic, one line each (type, resource, name, "
        + "resourceVersion, origin, partition@offset, key, value), until Ctrl-C, --max or --exit-at-end.")
public final class TailCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = "--from-beginning", description = "start at the oldest record instead of new ones")
    boolean fromBeginning;

    @Option(names = "--json", description = "one JSON object per record, as kcat -J prints (topic, partition, offset, ts, headers, key, payload)")
    boolean json;

    @Option(names = "--max", paramLabel = "N", description = "stop after N records")
    Long max;

    @Option(names = "--exit-at-end", description = "stop at the end of the topic as it was when tail started, instead of waiting for more")
    boolean exitAtEnd;

    @Override
    public Integer call() throws Exception {
        if (max != null && max < 1) {
            System.err.println("kube2kafka: --max " + max + ": must be at least 1");
            return Main.CONFIGURATION_ERROR;
        }
        BridgeSettings settings = config.load();
        Map<String, Object> consumerConfig = new HashMap<>(KafkaClients.clientConfig(settings.kafka().withBootstrapServers(ConfigOption.bootstrapServers(settings))));
        StopSignal stop = StopSignal.install();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(consumerConfig)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                System.err.println("kube2kafka: topic " + topic + " does not exist at " + consumerConfig.get("bootstrap.servers"));
                return Main.FATAL_ERROR;
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            if (fromBeginning) {
                consumer.seekToBeginning(assigned);
            } else {
                consumer.seekToEnd(assigned);
            }
            // With read_committed, the end is the last stable offset: what was committed when tail started.
            Map<TopicPartition, Long> end = exitAtEnd ? consumer.endOffsets(assigned) : Map.of();
            stop.started();
            long printed = 0;
            while (!stop.isRequested() && (max == null || printed < max) && !(exitAtEnd && ReadCommittedConsumer.reachedEnd(consumer, end))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (max != null && printed >= max) {
                        break;
                    }
                    if (exitAtEnd && record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // committed after tail started
                    }
                    System.out.println(json ? TailOutput.json(record) : TailOutput.line(record));
                    printed++;
                }
                System.out.flush();
            }
        }
        return 0;
    }

    public static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> clientConfig) {
        return new KafkaConsumer<>(ReadCommittedConsumer.config(clientConfig));
    }
}
