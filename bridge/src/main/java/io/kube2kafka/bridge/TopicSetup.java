package io.kube2kafka.bridge;

import io.kube2kafka.config.KafkaSettings;
import io.kube2kafka.publish.TopicCreator;
import io.kube2kafka.publish.TopicLimits;
import io.kube2kafka.publish.TopicNames;
import io.kube2kafka.watch.Backoff;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.WatchTarget;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** The topics of a set of watches: created when missing, their size limits read, patiently while Kafka cannot answer. */
final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private final KafkaSettings kafka;
    private final Map<String, Object> clientConfig;
    private final TopicNames topicNames;
    private final TopicLimits topicLimits;
    private final Pauser pauser;

    TopicSetup(KafkaSettings kafka, Map<String, Object> clientConfig, TopicNames topicNames, TopicLimits topicLimits, Pauser pauser) {
        this.kafka = kafka;
        this.clientConfig = clientConfig;
        this.topicNames = topicNames;
        this.topicLimits = topicLimits;
        this.pauser = pauser;
    }

    /**
     * Creates the topics of these watches and reads each one's max.message.bytes, retrying with backoff
     * while Kafka cannot answer (a broker restarting, a controller moving): for a cluster that starts
     * later, an outage must not stop the clusters already streaming. What no retry cures (a
     * kafka.topic-config the broker rejects, a replication factor above the brokers, a refused
     * authorization) is thrown.
     *
     * @param lateCluster the cluster that starts later, or null at start-up
     * @param waiting where to say why the late cluster is still waiting
     */
    void ensure(List<WatchTarget> targets, String lateCluster, Map<String, String> waiting) throws Exception {
        Set<String> topics = new LinkedHashSet<>();
        targets.forEach(t -> topics.add(topicNames.topicFor(t)));
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        while (true) {
            try {
                TopicCreator creator = new TopicCreator(clientConfig);
                creator.ensure(topics, kafka.checkpointTopic(), kafka.partitions(), kafka.replicationFactor(), kafka.topicConfig());
                creator.ensureMessageTopics(List.of(kafka.notificationTopic(), kafka.signalTopic()), kafka.replicationFactor());
                topicLimits.read(topics);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
                Duration pause = backoff.nextDelay();
                String problem = "cannot create or describe topics " + topics + " in Kafka at " + kafka.bootstrapServers()
                        + " yet (" + e.getCause().getMessage() + ")";
                log.warn("{}: {}; retrying in {} ms", lateCluster == null ? "start-up" : "cluster " + lateCluster, problem, pause.toMillis());
                if (lateCluster != null) {
                    waiting.put(lateCluster, "waiting for Kafka: " + problem);
                }
                pauser.pause(pause);
            }
        }
    }
}
