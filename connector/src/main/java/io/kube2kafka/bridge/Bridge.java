package io.kube2kafka.bridge;

import io.kube2kafka.cluster.ClusterConfigException;
import io.kube2kafka.cluster.ConnectionResolver;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.KafkaSettings;
import io.kube2kafka.config.ResourceSpec;
import io.kube2kafka.publish.Checkpoints;
import io.kube2kafka.publish.PublisherSettings;
import io.kube2kafka.publish.RecordFactory;
import io.kube2kafka.publish.TopicCreator;
import io.kube2kafka.publish.TopicNames;
import io.kube2kafka.publish.TopicReader;
import io.kube2kafka.publish.TransactionalPublisher;
import io.kube2kafka.transform.ObjectTransform;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiException;
import io.kube2kafka.watch.Backoff;
import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.UnknownResourceException;
import io.kube2kafka.watch.WatchStatus;
import io.kube2kafka.watch.WatchTarget;
import io.kube2kafka.watch.Watcher;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The standalone bridge: resolves the configured resources, creates the topics, reads the
 * checkpoints, and runs one watcher thread per watch feeding one transactional publisher.
 *
 * <p>Lifecycle: {@link #start} (everything that can be wrong with the configuration fails here),
 * then {@link #stopped()} completes when a fatal error stops it, and {@link #close()} stops the
 * watchers first and then lets the publisher commit what is in flight.
 */
public final class Bridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Bridge.class);

    private final List<Watcher> watchers;
    private final List<Thread> threads = new ArrayList<>();
    private final TransactionalPublisher publisher;
    private final CompletableFuture<Throwable> stopped;

    private Bridge(List<Watcher> watchers, TransactionalPublisher publisher, CompletableFuture<Throwable> stopped) {
        this.watchers = watchers;
        this.publisher = publisher;
        this.stopped = stopped;
    }

    /**
     * @param settings with kafka.bootstrap-servers set (the caller starts an embedded broker first)
     * @throws UnknownResourceException when a configured resource is not served, naming it
     */
    public static Bridge start(BridgeSettings settings, Pauser pauser) throws Exception {
        KafkaSettings kafka = settings.kafka();
        ApiClient api = new ApiClient(new ConnectionResolver().resolve(settings.kubernetes()), settings.watch().idleTimeout());
        List<WatchTarget> targets = resolveTargetsPatiently(settings, api, pauser);
        Map<String, Object> clientConfig = clientConfig(kafka);
        TopicNames topicNames = new TopicNames(kafka.topicTemplate());
        Set<String> topics = new LinkedHashSet<>();
        targets.forEach(t -> topics.add(topicNames.topicFor(t)));
        new TopicCreator(clientConfig).ensure(topics, kafka.checkpointTopic(), kafka.partitions(), kafka.replicationFactor(), kafka.topicConfig());

        TopicReader reader = new TopicReader(clientConfig);
        Map<String, Object> producerConfig = producerConfig(kafka, clientConfig);
        int maxRequestSize = Integer.parseInt(String.valueOf(producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
        RecordFactory records = new RecordFactory(topicNames,
                new ObjectTransform(settings.output().redactSecrets(), settings.output().dropManagedFields(), settings.output().dropPaths()),
                settings.output().tombstones(), maxRequestSize, settings.output().failOnOversized());
        String transactionalId = kafka.exactlyOnce() ? kafka.transactionalId().replace("{cluster}", settings.cluster()) : null;
        CompletableFuture<Throwable> stopped = new CompletableFuture<>();
        TransactionalPublisher publisher = new TransactionalPublisher(
                new PublisherSettings(producerConfig, transactionalId, kafka.checkpointTopic(), kafka.maxBatchEvents(),
                        kafka.maxQueuedBytes(), kafka.shutdownTimeout()),
                records, reader, stopped::complete).initialize();
        // Only after the fence: a predecessor can no longer move these checkpoints.
        Checkpoints checkpoints = Checkpoints.read(reader, kafka.checkpointTopic());
        publisher.start();

        List<Watcher> watchers = new ArrayList<>();
        for (WatchTarget target : targets) {
            watchers.add(new Watcher(target, api, publisher, settings.watch(), checkpoints.resourceVersionOf(target), pauser));
        }
        Bridge bridge = new Bridge(watchers, publisher, stopped);
        for (Watcher watcher : watchers) {
            Thread thread = new Thread(watcher, "watch " + watcher.target().key());
            bridge.threads.add(thread);
            thread.start();
        }
        log.info("streaming {} watch(es) from {} to Kafka at {} ({})", watchers.size(), api.url(), kafka.bootstrapServers(),
                kafka.exactlyOnce() ? "exactly-once, transactional.id " + transactionalId : "at-least-once");
        return bridge;
    }

    /**
     * Discovery, retried while the API server is unreachable or refuses the credentials (a rotated
     * token file or a fixed RBAC rule cures that without a restart). An unknown resource, or a
     * broken kubeconfig, is final.
     */
    private static List<WatchTarget> resolveTargetsPatiently(BridgeSettings settings, ApiClient api, Pauser pauser) throws Exception {
        Backoff backoff = new Backoff(settings.watch().backoffInitial(), settings.watch().backoffMax());
        while (true) {
            try {
                return resolveTargets(settings, new Discovery(api));
            } catch (ClusterConfigException | UnknownResourceException e) {
                throw e;
            } catch (ApiException e) {
                Duration pause = e.isAuthorizationFailure() ? settings.watch().authorizationBackoff() : backoff.nextDelay();
                log.error("discovery at {} failed: {}{}; retrying in {} ms", api.url(), e.getMessage(),
                        e.isAuthorizationFailure() ? " (check the token or client certificate, and RBAC)" : "", pause.toMillis());
                pauser.pause(pause);
            } catch (IOException | UncheckedIOException e) {
                Duration pause = backoff.nextDelay();
                log.error("cannot reach the API server at {}: {}; retrying in {} ms", api.url(), e.getMessage(), pause.toMillis());
                pauser.pause(pause);
            }
        }
    }

    /** The watches, one per resource and namespace, in configuration order. */
    public static List<WatchTarget> resolveTargets(BridgeSettings settings, Discovery discovery) throws Exception {
        List<WatchTarget> targets = new ArrayList<>();
        for (ResourceSpec spec : settings.resources()) {
            ApiResource resource = discovery.resolve(spec.resource());
            if (spec.namespaces().isEmpty() || !resource.namespaced()) {
                if (!spec.namespaces().isEmpty()) {
                    log.warn("{} is cluster-scoped; its namespaces {} are ignored", spec.resource(), spec.namespaces());
                }
                targets.add(new WatchTarget(settings.cluster(), resource, "", spec.labelSelector(), spec.fieldSelector()));
            } else {
                for (String namespace : spec.namespaces()) {
                    targets.add(new WatchTarget(settings.cluster(), resource, namespace, spec.labelSelector(), spec.fieldSelector()));
                }
            }
        }
        return targets;
    }

    /** Settings every Kafka client of the bridge shares: where the brokers are and how to reach them securely. */
    public static Map<String, Object> clientConfig(KafkaSettings kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.producer().forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        config.put("bootstrap.servers", kafka.bootstrapServers());
        return config;
    }

    /** The publisher's producer settings; public so the benchmark's plain producer uses exactly the same. */
    public static Map<String, Object> producerConfig(KafkaSettings kafka, Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // commitTransaction() and flush() send at once whatever lingers, so linger only helps batching.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
        // Fail a send within a minute while the broker is down, so the retry loop (and its logs) take over.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.putAll(kafka.producer());
        config.put("bootstrap.servers", kafka.bootstrapServers());
        return config;
    }

    /** Completes with the cause when a fatal error stops the bridge (e.g. it was fenced). */
    public CompletableFuture<Throwable> stopped() {
        return stopped;
    }

    public List<WatchStatus> watchStatuses() {
        return watchers.stream().map(Watcher::status).toList();
    }

    public TransactionalPublisher publisher() {
        return publisher;
    }

    /** Stops watching, then publishes and commits what is in flight. */
    @Override
    public void close() throws InterruptedException {
        for (Watcher watcher : watchers) {
            watcher.stop();
        }
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        publisher.close();
        log.info("stopped");
    }
}
