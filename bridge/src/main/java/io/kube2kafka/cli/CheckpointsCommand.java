package io.kube2kafka.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube2kafka.publish.KafkaClients;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.publish.Checkpoints;
import io.kube2kafka.publish.TopicReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "checkpoints", description = "Print the committed resourceVersion of every watch.")
final class CheckpointsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws ConfigurationException {
        BridgeSettings settings = config.load();
        String bootstrapServers = ConfigOption.bootstrapServers(settings);
        TopicReader reader = new TopicReader(KafkaClients.clientConfig(settings.kafka().withBootstrapServers(bootstrapServers)));
        if (!reader.exists(settings.kafka().checkpointTopic())) {
            // Not "no checkpoints": a wrong kafka.checkpoint-topic or bootstrap server must not look like an empty bridge.
            System.err.println("kube2kafka: topic " + settings.kafka().checkpointTopic() + " does not exist at " + bootstrapServers
                    + " (kafka.checkpoint-topic); no bridge has committed a checkpoint there");
            return Main.FATAL_ERROR;
        }
        Map<String, JsonNode> all = Checkpoints.read(reader, settings.kafka().checkpointTopic()).all();
        System.out.printf("%-60s %-16s %-30s %s%n", "WATCH", "RESOURCEVERSION", "COMMITTED AT", "CLUSTER UID");
        all.forEach((key, value) -> System.out.printf("%-60s %-16s %-30s %s%n", key,
                value.path("resourceVersion").asText(), value.path("committedAt").asText(),
                value.path(Checkpoints.CLUSTER_UID).asText("-")));
        if (all.isEmpty()) {
            System.out.println("(no checkpoints in " + settings.kafka().checkpointTopic() + ")");
        }
        return 0;
    }
}
