package io.kube2kafka.publish;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The largest record each object topic accepts: its {@code max.message.bytes}. The broker refuses a
 * larger record whatever the producer's max.request.size allows, and the refusal fails the whole
 * transaction, so without knowing the limit every retry would fail the same way and stall every watch.
 * Safe to read from any thread; a cluster that starts later adds its topics.
 */
public final class TopicLimits {
    private static final Logger log = LoggerFactory.getLogger(TopicLimits.class);

    private final Map<String, Object> clientConfig;
    private final Map<String, Integer> maxMessageBytes = new ConcurrentHashMap<>();

    public TopicLimits(Map<String, Object> clientConfig) {
        this.clientConfig = clientConfig;
    }

    /** Reads (or reads again) the topics' max.message.bytes from Kafka. */
    public void read(Collection<String> topics) throws ExecutionException, InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        try (Admin admin = Admin.create(KafkaClients.adminConfig(clientConfig))) {
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            configs.forEach((resource, config) -> {
                ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (entry != null && entry.value() != null) {
                    maxMessageBytes.put(resource.name(), Integer.parseInt(entry.value()));
                }
            });
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof AuthorizationException)) {
                throw e;
            }
            // Reading topic configs needs DescribeConfigs, which a bridge that only writes may lack; it then
            // keeps to the producer's max.request.size, as before, and a refusal is logged when it happens.
            log.warn("cannot read max.message.bytes of {} ({}); records are limited by the producer's max.request.size only",
                    topics, e.getCause().getMessage());
        }
    }

    /** The topic's max.message.bytes; Integer.MAX_VALUE while unknown. */
    public int maxMessageBytes(String topic) {
        return maxMessageBytes.getOrDefault(topic, Integer.MAX_VALUE);
    }
}
