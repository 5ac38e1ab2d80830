package io.kube2kafka.cli;

import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.publish.KafkaClients;
import io.kube2kafka.publish.Signal;
import io.kube2kafka.publish.TopicReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "signal", description = "Ask the bridge streaming WATCH to list it again: reconcile publishes only the differences, "
        + "resnapshot every live object (kube2kafka.origin=snapshot). WATCH as `checkpoints` names it, or '*' for every watch. "
        + "Writes one record to kafka.signal-topic; the answer is a notification of reason signal in kafka.notification-topic.")
final class SignalCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "reconcile|resnapshot")
    String type;

    @Parameters(index = "1", paramLabel = "WATCH")
    String watch;

    @Override
    public Integer call() throws Exception {
        Signal.Type parsed = Signal.Type.parse(type);
        if (parsed == null) {
            System.err.println("kube2kafka: signal " + type + ": must be reconcile or resnapshot");
            return Main.CONFIGURATION_ERROR;
        }
        BridgeSettings settings = config.load();
        String topic = settings.kafka().signalTopic();
        Map<String, Object> clientConfig = KafkaClients.clientConfig(settings.kafka().withBootstrapServers(ConfigOption.bootstrapServers(settings)));
        // Never to a topic that does not exist: a producer's metadata request would make a broker that auto-creates
        // topics create one no bridge reads. Asked by a reader, which never creates it.
        if (!new TopicReader(clientConfig).exists(topic)) {
            System.err.println("kube2kafka: topic " + topic + " does not exist at " + clientConfig.get("bootstrap.servers")
                    + " (kafka.signal-topic); no bridge reads signals there");
            return Main.FATAL_ERROR;
        }
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Signal signal = new Signal(parsed, watch);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, watch.getBytes(StandardCharsets.UTF_8), signal.toJson()))
                    .get(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
            System.out.println("wrote " + new String(signal.toJson(), StandardCharsets.UTF_8) + " to " + topic + " (partition "
                    + written.partition() + ", offset " + written.offset() + "); the answer is a notification of reason signal in "
                    + settings.kafka().notificationTopic());
        }
        return 0;
    }
}
