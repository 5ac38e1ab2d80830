package io.kube2kafka.cli;

import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.bridge.Bridge;
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

@Command(name = "tail", description = "Print the committed records of a topic, one readable line each, until Ctrl-C.")
final class TailCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = "--from-beginning", description = "start at the oldest record instead of new ones")
    boolean fromBeginning;

    @Override
    public Integer call() throws Exception {
        BridgeSettings settings = config.load();
        Map<String, Object> consumerConfig = new HashMap<>(Bridge.clientConfig(settings.kafka().withBootstrapServers(ConfigOption.bootstrapServers(settings))));
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
            stop.started();
            while (!stop.isRequested()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    System.out.println(RecordLine.format(record));
                }
                System.out.flush();
            }
        }
        return 0;
    }

    static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> clientConfig) {
        return new KafkaConsumer<>(ReadCommittedConsumer.config(clientConfig));
    }
}
