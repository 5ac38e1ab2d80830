package io.kube2kafka.bridge;

import io.kube2kafka.cluster.ClusterConfigException;
import io.kube2kafka.cluster.ConnectionResolver;
import io.kube2kafka.cluster.TlsFailure;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ClusterSettings;
import io.kube2kafka.config.ConfigKeys;
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
import io.kube2kafka.watch.WatchSink;
import io.kube2kafka.watch.WatchStatus;
import io.kube2kafka.watch.WatchTarget;
import io.kube2kafka.watch.WatchThreads;
import io.kube2kafka.watch.Watcher;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The standalone bridge: resolves the configured resources of each cluster, creates the topics, reads
 * the checkpoints, and runs one watcher thread per watch, every cluster's watchers feeding the one
 * transactional publisher (topics and checkpoint keys carry the cluster's name, so they never mix).
 *
 * <p>Lifecycle: {@link #start} (everything that can be wrong with the configuration fails here),
 * then {@link #stopped()} completes when a fatal error stops it, and {@link #close()} stops the
 * watchers first and then lets the publisher commit what is in flight.
 *
 * <p>One cluster waits for its API server before {@link #start} returns: there is nothing else to
 * stream. With several, each gets one discovery attempt in {@link #start} (so an unknown resource in a
 * reachable cluster is still a start-up error), and a cluster that cannot be reached then retries on a
 * starter thread of its own while the others stream; {@link #waitingClusters()} names it meanwhile.
 */
public final class Bridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Bridge.class);

    private final BridgeSettings settings;
    private final Pauser pauser;
    private final TransactionalPublisher publisher;
    /** Where watchers hand their batches: the publisher (wrapped only by tests that inject faults). */
    private final WatchSink watchSink;
    private final Checkpoints checkpoints;
    private final TopicNames topicNames;
    private final Map<String, Object> clientConfig;
    private final CompletableFuture<Throwable> stopped;
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Thread> starters = new CopyOnWriteArrayList<>();
    /** Cluster name to why it is not streaming yet, while its discovery retries. */
    private final Map<String, String> waiting = new ConcurrentHashMap<>();
    private boolean closing; // guarded by this: no watcher starts once close() began

    /** One cluster's settings, API client and where its entry is in the configuration. */
    private record Feed(ClusterSettings settings, ApiClient api, String entryPath) {
        String name() {
            return settings.cluster();
        }
    }

    private Bridge(BridgeSettings settings, Pauser pauser, TransactionalPublisher publisher, WatchSink watchSink, Checkpoints checkpoints,
                   TopicNames topicNames, Map<String, Object> clientConfig, CompletableFuture<Throwable> stopped) {
        this.settings = settings;
        this.pauser = pauser;
        this.publisher = publisher;
        this.watchSink = watchSink;
        this.checkpoints = checkpoints;
        this.topicNames = topicNames;
        this.clientConfig = clientConfig;
        this.stopped = stopped;
    }

    /**
     * @param settings with kafka.bootstrap-servers set (the caller starts an embedded broker first)
     * @throws UnknownResourceException when a configured resource is not served, naming it
     * @throws ClusterConfigException when a cluster's connection settings are wrong
     */
    public static Bridge start(BridgeSettings settings, Pauser pauser) throws Exception {
        return start(settings, pauser, UnaryOperator.identity());
    }

    /** @param watchSink wraps the publisher where watchers hand their batches; tests use it to inject faults */
    static Bridge start(BridgeSettings settings, Pauser pauser, UnaryOperator<WatchSink> watchSink) throws Exception {
        KafkaSettings kafka = settings.kafka();
        boolean several = settings.severalClusters();
        List<Feed> feeds = new ArrayList<>();
        for (int i = 0; i < settings.clusters().size(); i++) {
            ClusterSettings cluster = settings.clusters().get(i);
            String entryPath = several ? ConfigKeys.CLUSTERS_CONFIG + "[" + i + "]" : "";
            try {
                feeds.add(new Feed(cluster, new ApiClient(new ConnectionResolver().resolve(cluster.kubernetes()),
                        settings.watch().idleTimeout()), entryPath));
            } catch (ClusterConfigException e) {
                throw several ? new ClusterConfigException(entryPath + " (cluster " + cluster.cluster() + "): " + e.getMessage(), e) : e;
            }
        }
        Map<Feed, List<WatchTarget>> resolved = new LinkedHashMap<>();
        List<Feed> pending = new ArrayList<>();
        for (Feed feed : feeds) {
            List<WatchTarget> targets;
            try {
                targets = several ? resolveTargetsOnce(feed, null) : resolveTargetsPatiently(feed, settings, pauser, null);
            } catch (UnknownResourceException e) {
                throw several ? e.inCluster(feed.name(), feed.entryPath()) : e;
            }
            if (targets == null) {
                pending.add(feed);
            } else {
                resolved.put(feed, targets);
            }
        }

        Map<String, Object> clientConfig = clientConfig(kafka);
        TopicNames topicNames = new TopicNames(kafka.topicTemplate());
        List<WatchTarget> firstTargets = resolved.values().stream().flatMap(List::stream).toList();
        ensureTopics(kafka, clientConfig, topicNames, firstTargets);

        TopicReader reader = new TopicReader(clientConfig);
        Map<String, Object> producerConfig = producerConfig(kafka, clientConfig);
        int maxRequestSize = Integer.parseInt(String.valueOf(producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
        RecordFactory records = new RecordFactory(topicNames,
                new ObjectTransform(settings.output().redactSecrets(), settings.output().dropManagedFields(), settings.output().dropPaths()),
                settings.output().tombstones(), maxRequestSize, settings.output().failOnOversized());
        String transactionalId = kafka.exactlyOnce() ? settings.transactionalId() : null;
        CompletableFuture<Throwable> stopped = new CompletableFuture<>();
        TransactionalPublisher publisher = new TransactionalPublisher(
                new PublisherSettings(producerConfig, transactionalId, kafka.checkpointTopic(), kafka.maxBatchEvents(),
                        kafka.maxQueuedBytes(), kafka.shutdownTimeout()),
                records, reader, stopped::complete).initialize();
        // Only after the fence: a predecessor can no longer move these checkpoints. A cluster that starts
        // later reads them here too: nothing but this publisher writes them from now on.
        Checkpoints checkpoints = Checkpoints.read(reader, kafka.checkpointTopic());
        publisher.start();

        Bridge bridge = new Bridge(settings, pauser, publisher, watchSink.apply(publisher), checkpoints, topicNames, clientConfig, stopped);
        resolved.forEach(bridge::startWatchers);
        for (Feed feed : pending) {
            bridge.startLater(feed);
        }
        log.info("streaming {} watch(es) of {} cluster(s) to Kafka at {} ({}){}", bridge.watchers.size(), resolved.size(),
                kafka.bootstrapServers(), kafka.exactlyOnce() ? "exactly-once, transactional.id " + transactionalId : "at-least-once",
                pending.isEmpty() ? "" : "; waiting for " + pending.stream().map(Feed::name).toList());
        return bridge;
    }

    private static void ensureTopics(KafkaSettings kafka, Map<String, Object> clientConfig, TopicNames topicNames,
                                     List<WatchTarget> targets) throws Exception {
        Set<String> topics = new LinkedHashSet<>();
        targets.forEach(t -> topics.add(topicNames.topicFor(t)));
        new TopicCreator(clientConfig).ensure(topics, kafka.checkpointTopic(), kafka.partitions(), kafka.replicationFactor(), kafka.topicConfig());
    }

    /** Starts one watcher thread per target, unless the bridge is closing. */
    private synchronized void startWatchers(Feed feed, List<WatchTarget> targets) {
        if (closing) {
            return;
        }
        for (WatchTarget target : targets) {
            Watcher watcher = new Watcher(target, feed.api(), watchSink, settings.watch(), checkpoints.resourceVersionOf(target), pauser);
            watchers.add(watcher);
            Thread thread = WatchThreads.create(watcher, "watch " + target.key());
            threads.add(thread);
            thread.start();
        }
        waiting.remove(feed.name());
        log.info("cluster {}: streaming {} watch(es) from {}", feed.name(), targets.size(), feed.api().url());
    }

    /**
     * A starter thread for a cluster that could not be reached at start-up: it retries discovery with
     * backoff, creates the cluster's topics and starts its watchers. A configuration error found then
     * (an unknown resource, a broken kubeconfig) stops the bridge as it would have at start-up.
     */
    private void startLater(Feed feed) {
        waiting.put(feed.name(), "waiting for discovery at " + feed.api().url());
        Thread starter = new Thread(() -> {
            try {
                List<WatchTarget> targets = resolveTargetsPatiently(feed, settings, pauser, waiting);
                ensureTopics(settings.kafka(), clientConfig, topicNames, targets);
                startWatchers(feed, targets);
            } catch (InterruptedException e) {
                // close() ended the wait; the cluster was never started, so there is nothing to stop.
            } catch (UnknownResourceException e) {
                UnknownResourceException named = e.inCluster(feed.name(), feed.entryPath());
                log.error("{} ({})", named.getMessage(), named.keyPath());
                stopped.complete(named);
            } catch (Exception e) {
                log.error("cluster {}: cannot start: {}", feed.name(), e.getMessage(), e);
                stopped.complete(e);
            }
        }, "start " + feed.name());
        starters.add(starter);
        starter.start();
    }

    /**
     * Discovery, retried while the API server is unreachable or refuses the credentials (a rotated
     * token file or a fixed RBAC rule cures that without a restart). An unknown resource, or a
     * broken kubeconfig, is final.
     *
     * @param waiting where to say why the cluster is still waiting, or null
     */
    private static List<WatchTarget> resolveTargetsPatiently(Feed feed, BridgeSettings settings, Pauser pauser,
                                                             Map<String, String> waiting) throws Exception {
        Backoff backoff = new Backoff(settings.watch().backoffInitial(), settings.watch().backoffMax());
        while (true) {
            try {
                return resolveTargets(feed.settings(), new Discovery(feed.api()));
            } catch (ClusterConfigException | UnknownResourceException e) {
                throw e;
            } catch (IOException | UncheckedIOException e) {
                Duration pause = e instanceof ApiException api && api.isAuthorizationFailure()
                        ? settings.watch().authorizationBackoff() : backoff.nextDelay();
                reportUnreachable(feed, e, "retrying in " + pause.toMillis() + " ms", waiting);
                pauser.pause(pause);
            }
        }
    }

    /** One discovery attempt; null when the API server could not be reached or refused the credentials (logged). */
    private static List<WatchTarget> resolveTargetsOnce(Feed feed, Map<String, String> waiting) throws Exception {
        try {
            return resolveTargets(feed.settings(), new Discovery(feed.api()));
        } catch (ClusterConfigException | UnknownResourceException e) {
            throw e;
        } catch (IOException | UncheckedIOException e) {
            reportUnreachable(feed, e, "it keeps retrying while the other clusters stream", waiting);
            return null;
        }
    }

    /**
     * Logs why discovery failed and records it where readiness reads it.
     *
     * @param waiting where to say why the cluster is still waiting, or null
     */
    private static void reportUnreachable(Feed feed, Exception e, String next, Map<String, String> waiting) {
        String url = feed.api().url();
        String problem = e instanceof ApiException api
                ? "discovery at " + url + " failed: " + e.getMessage()
                        + (api.isAuthorizationFailure() ? " (check the token or client certificate, and RBAC)" : "")
                : "cannot reach the API server at " + url + ": " + TlsFailure.describe(url, e).orElse(e.getMessage());
        log.error("cluster {}: {}; {}", feed.name(), problem, next);
        if (waiting != null) {
            waiting.put(feed.name(), "waiting for discovery: " + problem);
        }
    }

    /** The watches of the only cluster, one per resource and namespace, in configuration order. */
    public static List<WatchTarget> resolveTargets(BridgeSettings settings, Discovery discovery) throws Exception {
        return resolveTargets(settings.onlyCluster(), discovery);
    }

    /** The watches of one cluster, one per resource and namespace, in configuration order. */
    public static List<WatchTarget> resolveTargets(ClusterSettings cluster, Discovery discovery) throws Exception {
        List<WatchTarget> targets = new ArrayList<>();
        for (ResourceSpec spec : cluster.resources()) {
            ApiResource resource = discovery.resolve(spec.resource());
            if (spec.namespaces().isEmpty() || !resource.namespaced()) {
                if (!spec.namespaces().isEmpty()) {
                    log.warn("{} is cluster-scoped; its namespaces {} are ignored", spec.resource(), spec.namespaces());
                }
                targets.add(new WatchTarget(cluster.cluster(), resource, "", spec.labelSelector(), spec.fieldSelector()));
            } else {
                for (String namespace : spec.namespaces()) {
                    targets.add(new WatchTarget(cluster.cluster(), resource, namespace, spec.labelSelector(), spec.fieldSelector()));
                }
            }
        }
        return targets;
    }

    /** Settings every Kafka client of the bridge shares: where the brokers are and how to reach them securely. */
    public static Map<String, Object> clientConfig(KafkaSettings kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.producer().forEach((key, value) -> {
            if (KafkaSettings.isConnectionSecurity(key)) {
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

    /** Clusters not streaming yet because their discovery keeps failing, each with the last reason. */
    public Map<String, String> waitingClusters() {
        return new TreeMap<>(waiting);
    }

    public TransactionalPublisher publisher() {
        return publisher;
    }

    /** Stops watching, then publishes and commits what is in flight. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closing = true;
        }
        for (Thread starter : starters) {
            starter.interrupt();
        }
        for (Thread starter : starters) {
            starter.join();
        }
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
