package io.kube2kafka.publish;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** Creates the bridge's topics when they are missing, never relying on the broker's auto-creation. */
public final class TopicCreator {
    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);
    private final Map<String, Object> clientConfig;

    public TopicCreator(Map<String, Object> clientConfig) {
        this.clientConfig = clientConfig;
    }

    /**
     * @param replicationFactor -1 for the broker's default
     */
    public void ensure(Collection<String> objectTopics, String checkpointTopic, int partitions, int replicationFactor,
                       Map<String, String> objectTopicConfig) throws ExecutionException, InterruptedException {
        ensure(objectTopics, Optional.of(checkpointTopic), partitions, replicationFactor, objectTopicConfig);
    }

    /** The object topics alone: under Kafka Connect, source offsets take the checkpoint topic's place. */
    public void ensureObjectTopics(Collection<String> objectTopics, int partitions, int replicationFactor,
                                   Map<String, String> objectTopicConfig) throws ExecutionException, InterruptedException {
        ensure(objectTopics, Optional.empty(), partitions, replicationFactor, objectTopicConfig);
    }

    /**
     * The notification and signal topics: one partition each, so every reader sees them in the order
     * they were written (a few records per list or request, never a firehose), and cleanup.policy=delete
     * explicitly, whatever the broker's default: they are a log of what happened, not a state to compact.
     */
    public void ensureMessageTopics(Collection<String> topics, int replicationFactor) throws ExecutionException, InterruptedException {
        Optional<Short> replication = replicationFactor < 0 ? Optional.empty() : Optional.of((short) replicationFactor);
        Map<String, NewTopic> wanted = new HashMap<>();
        for (String topic : topics) {
            wanted.put(topic, new NewTopic(topic, Optional.of(1), replication).configs(Map.of("cleanup.policy", "delete")));
        }
        try (Admin admin = Admin.create(KafkaClients.adminConfig(clientConfig))) {
            Set<String> existing = admin.listTopics().names().get();
            wanted.keySet().removeAll(existing);
            create(admin, wanted);
        }
    }

    private void ensure(Collection<String> objectTopics, Optional<String> checkpointTopic, int partitions, int replicationFactor,
                        Map<String, String> objectTopicConfig) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(KafkaClients.adminConfig(clientConfig))) {
            Set<String> existing = admin.listTopics().names().get();
            Optional<Short> replication = replicationFactor < 0 ? Optional.empty() : Optional.of((short) replicationFactor);
            Map<String, NewTopic> missing = new HashMap<>();
            for (String topic : objectTopics) {
                if (!existing.contains(topic)) {
                    missing.put(topic, new NewTopic(topic, Optional.of(partitions), replication).configs(objectTopicConfig));
                }
            }
            if (checkpointTopic.isPresent() && !existing.contains(checkpointTopic.get())) {
                // One partition: a handful of keys, and one partition keeps them in commit order.
                missing.put(checkpointTopic.get(), new NewTopic(checkpointTopic.get(), Optional.of(1), replication)
                        .configs(Map.of("cleanup.policy", "compact")));
            }
            create(admin, missing);
        }
    }

    private static void create(Admin admin, Map<String, NewTopic> missing) throws ExecutionException, InterruptedException {
        for (Map.Entry<String, NewTopic> topic : missing.entrySet()) {
            try {
                admin.createTopics(Set.of(topic.getValue())).all().get();
                log.info("created topic {} ({})", topic.getKey(), topic.getValue().configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    // The broker's reason ("The target replication factor of 3 cannot be reached because only 1 broker(s)
                    // are registered") does not name the topic.
                    throw new ExecutionException("cannot create topic " + topic.getKey() + " (" + topic.getValue().numPartitions()
                            + " partitions, replication factor " + topic.getValue().replicationFactor() + ", "
                            + topic.getValue().configs() + "): " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }
}
