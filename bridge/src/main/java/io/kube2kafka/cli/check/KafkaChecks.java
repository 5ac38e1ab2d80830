package io.kube2kafka.cli.check;

import io.kube2kafka.config.KafkaSettings;
import io.kube2kafka.publish.KafkaClients;
import io.kube2kafka.publish.TopicNames;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Kafka half of {@code check}: the brokers are reachable, every topic the bridge writes exists or
 * could be created, and transactions work when exactly-once delivery is configured. Nothing is changed:
 * topics are created with validateOnly, and the transaction test commits an empty transaction under a
 * throwaway transactional.id.
 */
public final class KafkaChecks {
    /** Long enough for a loaded cluster, short enough that a dead broker is reported within a minute. */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

    private final Consumer<CheckLine> report;

    /** @param report receives each line as soon as its item is checked */
    public KafkaChecks(Consumer<CheckLine> report) {
        this.report = report;
    }

    /** @param targets the watches of every cluster, whose object topics are checked */
    public void check(KafkaSettings kafka, List<WatchTarget> targets) {
        if (kafka.embedded()) {
            report.accept(CheckLine.ok("kafka", "kafka.bootstrap-servers is empty: run starts an embedded broker on 127.0.0.1:"
                    + kafka.embeddedPort() + " (data in " + kafka.embeddedDataDir() + "); nothing to check"));
            return;
        }
        String at = "kafka " + kafka.bootstrapServers();
        try (Admin admin = Admin.create(KafkaClients.adminConfig(KafkaClients.clientConfig(kafka)))) {
            int brokers;
            try {
                brokers = admin.describeCluster().nodes().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
                report.accept(CheckLine.ok(at, "reachable, " + brokers + " broker(s)"));
            } catch (Exception e) {
                report.accept(CheckLine.fail(at, "cannot reach the brokers: " + rootMessage(e),
                        "check kafka.bootstrap-servers and the security settings in kafka.producer (security.protocol, sasl.*, ssl.*)"));
                return;
            }
            checkTopics(admin, kafka, targets);
        } catch (RuntimeException e) {
            report.accept(CheckLine.fail(at, rootMessage(e), "check kafka.bootstrap-servers and kafka.producer"));
            return;
        }
        checkTransactions(kafka);
    }

    private void checkTopics(Admin admin, KafkaSettings kafka, List<WatchTarget> targets) {
        TopicNames names = new TopicNames(kafka.topicTemplate());
        Set<String> objectTopics = new LinkedHashSet<>();
        targets.forEach(t -> objectTopics.add(names.topicFor(t)));
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            report.accept(CheckLine.fail("topics", "cannot list topics: " + rootMessage(e), "grant the bridge's principal Describe on its topics"));
            return;
        }
        Optional<Short> replication = kafka.replicationFactor() < 0 ? Optional.empty() : Optional.of((short) kafka.replicationFactor());
        Map<String, NewTopic> wanted = new LinkedHashMap<>();
        objectTopics.forEach(t -> wanted.put(t, new NewTopic(t, Optional.of(kafka.partitions()), replication).configs(kafka.topicConfig())));
        wanted.put(kafka.checkpointTopic(), new NewTopic(kafka.checkpointTopic(), Optional.of(1), replication)
                .configs(Map.of("cleanup.policy", "compact")));
        // As TopicCreator.ensureMessageTopics makes them.
        for (String topic : List.of(kafka.notificationTopic(), kafka.signalTopic())) {
            wanted.put(topic, new NewTopic(topic, Optional.of(1), replication).configs(Map.of("cleanup.policy", "delete")));
        }
        for (Map.Entry<String, NewTopic> topic : wanted.entrySet()) {
            String item = "topic " + topic.getKey();
            if (existing.contains(topic.getKey())) {
                try {
                    TopicDescription description = admin.describeTopics(Set.of(topic.getKey())).allTopicNames()
                            .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic.getKey());
                    report.accept(CheckLine.ok(item, "exists (" + description.partitions().size() + " partition(s))"));
                } catch (Exception e) {
                    report.accept(CheckLine.fail(item, "exists but cannot be described: " + rootMessage(e),
                            "grant the bridge's principal Describe and Write on it"));
                }
                continue;
            }
            try {
                admin.createTopics(Set.of(topic.getValue()), new CreateTopicsOptions().validateOnly(true)).all()
                        .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                report.accept(CheckLine.ok(item, "missing; run creates it (" + topic.getValue().numPartitions() + " partition(s), "
                        + topic.getValue().configs() + ")"));
            } catch (Exception e) {
                report.accept(CheckLine.fail(item, "missing, and the broker would refuse to create it: " + rootMessage(e),
                        "create it yourself, or grant Create and fix kafka.partitions / kafka.replication-factor / kafka.topic-config"));
            }
        }
    }

    private void checkTransactions(KafkaSettings kafka) {
        if (!kafka.exactlyOnce()) {
            report.accept(CheckLine.ok("transactions", "not used (kafka.delivery=at-least-once)"));
            return;
        }
        Map<String, Object> config = new HashMap<>(KafkaClients.clientConfig(kafka));
        kafka.producer().forEach(config::put);
        String transactionalId = "kube2kafka-check-" + UUID.randomUUID();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.commitTransaction();
            report.accept(CheckLine.ok("transactions",
                    "initialised and committed an empty transaction (transactional.id " + transactionalId + ")"));
        } catch (RuntimeException e) {
            report.accept(CheckLine.fail("transactions", rootMessage(e),
                    "the brokers need a transaction log (transaction.state.log.replication.factor and "
                    + "min.isr no larger than the brokers), and the principal needs Write on TransactionalId " + kafka.transactionalId()
                    + "; or set kafka.delivery=at-least-once"));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
