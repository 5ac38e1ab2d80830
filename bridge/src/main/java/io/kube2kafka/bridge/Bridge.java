package io.kube2kafka.bridge;

import io.kube2kafka.cluster.ClusterConfigException;
import io.kube2kafka.cluster.ApiClients;
import io.kube2kafka.cluster.TlsFailure;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ClusterSettings;
import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.ConfigurationException;
import io.kube2kafka.config.KafkaSettings;
import io.kube2kafka.config.ResourceSpec;
import io.kube2kafka.config.TargetResolver;
import io.kube2kafka.publish.Checkpoints;
import io.kube2kafka.publish.KafkaClients;
import io.kube2kafka.publish.PublisherSettings;
import io.kube2kafka.publish.RecordFactory;
import io.kube2kafka.publish.RecordPipeline;
import io.kube2kafka.publish.TopicCreator;
import io.kube2kafka.publish.TopicLimits;
import io.kube2kafka.publish.TopicNames;
import io.kube2kafka.publish.TopicReader;
import io.kube2kafka.publish.TransactionalPublisher;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ApiException;
import io.kube2kafka.watch.Backoff;
import io.kube2kafka.watch.ApiResource;
import io.kube2kafka.watch.ClusterIdentity;
import io.kube2kafka.watch.Discovery;
import io.kube2kafka.watch.GroupDiscoveryFailedException;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.SelectionCheck;
import io.kube2kafka.watch.UnknownResourceException;
import io.kube2kafka.watch.WatchSink;
import io.kube2kafka.watch.WatchStatus;
import io.kube2kafka.watch.WatchTarget;
import io.kube2kafka.watch.WatchThreads;
import io.kube2kafka.watch.Watcher;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RetriableException;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
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
    private final TopicLimits topicLimits;
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
                   TopicNames topicNames, TopicLimits topicLimits, Map<String, Object> clientConfig, CompletableFuture<Throwable> stopped) {
        this.settings = settings;
        this.pauser = pauser;
        this.publisher = publisher;
        this.watchSink = watchSink;
        this.checkpoints = checkpoints;
        this.topicNames = topicNames;
        this.topicLimits = topicLimits;
        this.clientConfig = clientConfig;
        this.stopped = stopped;
    }

    /**
     * @param settings with kafka.bootstrap-servers set (the caller starts an embedded broker first)
     * @throws UnknownResourceException when a configured resource is not served, naming it
     * @throws ClusterConfigException when a cluster's connection settings are wrong
     */
    public static Bridge start(BridgeSettings settings, Pauser pauser) throws Exception {
        return start(settings, pauser, new StartupProgress(), UnaryOperator.identity());
    }

    /** @param progress told of each step as start-up reaches it, so /readyz can name what it waits on */
    public static Bridge start(BridgeSettings settings, Pauser pauser, StartupProgress progress) throws Exception {
        return start(settings, pauser, progress, UnaryOperator.identity());
    }

    /** @param watchSink wraps the publisher where watchers hand their batches; tests use it to inject faults */
    static Bridge start(BridgeSettings settings, Pauser pauser, UnaryOperator<WatchSink> watchSink) throws Exception {
        return start(settings, pauser, new StartupProgress(), watchSink);
    }

    private static Bridge start(BridgeSettings settings, Pauser pauser, StartupProgress progress,
                                UnaryOperator<WatchSink> watchSink) throws Exception {
        KafkaSettings kafka = settings.kafka();
        boolean several = settings.severalClusters();
        List<Feed> feeds = new ArrayList<>();
        for (int i = 0; i < settings.clusters().size(); i++) {
            ClusterSettings cluster = settings.clusters().get(i);
            String entryPath = several ? ConfigKeys.CLUSTERS_CONFIG + "[" + i + "]" : "";
            try {
                feeds.add(new Feed(cluster, ApiClients.forCluster(cluster.kubernetes(), settings.watch()), entryPath));
            } catch (ClusterConfigException e) {
                throw several ? new ClusterConfigException(entryPath + " (cluster " + cluster.cluster() + "): " + e.getMessage(), e) : e;
            }
        }
        Map<Feed, List<WatchTarget>> resolved = new LinkedHashMap<>();
        List<Feed> pending = new ArrayList<>();
        for (Feed feed : feeds) {
            List<WatchTarget> targets;
            progress.reached(StartupProgress.Step.DISCOVERY, "cluster " + feed.name() + " at " + feed.api().url());
            try {
                targets = several ? resolveTargetsOnce(feed, null)
                        : resolveTargetsPatiently(feed, settings, pauser, progress.discoveryProblems());
            } catch (UnknownResourceException e) {
                throw several ? e.inCluster(feed.name(), feed.entryPath()) : e;
            }
            if (targets == null) {
                pending.add(feed);
            } else {
                resolved.put(feed, targets);
            }
        }

        Map<String, Object> clientConfig = KafkaClients.clientConfig(kafka);
        TopicNames topicNames = new TopicNames(kafka.topicTemplate());
        TopicLimits topicLimits = new TopicLimits(clientConfig);
        List<WatchTarget> firstTargets = resolved.values().stream().flatMap(List::stream).toList();
        progress.reached(StartupProgress.Step.TOPIC_CREATION, "Kafka at " + kafka.bootstrapServers());
        ensureTopicsPatiently(kafka, clientConfig, topicNames, topicLimits, firstTargets, pauser, null, null);

        TopicReader reader = new TopicReader(clientConfig);
        Map<String, Object> producerConfig = KafkaClients.producerConfig(kafka, clientConfig);
        int maxRequestSize = Integer.parseInt(String.valueOf(producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
        RecordFactory records = RecordPipeline.recordFactory(settings, maxRequestSize, topicLimits::maxMessageBytes);
        String transactionalId = kafka.exactlyOnce() ? settings.transactionalId() : null;
        CompletableFuture<Throwable> stopped = new CompletableFuture<>();
        progress.reached(StartupProgress.Step.INIT_TRANSACTIONS, "Kafka at " + kafka.bootstrapServers()
                + (transactionalId == null ? "; at-least-once, no transactional.id" : ", transactional.id " + transactionalId));
        TransactionalPublisher publisher = new TransactionalPublisher(
                new PublisherSettings(producerConfig, transactionalId, kafka.checkpointTopic(), kafka.maxBatchEvents(),
                        kafka.maxQueuedBytes(), kafka.shutdownTimeout()),
                records, reader, topicLimits, stopped::complete).initialize();
        // Only after the fence: a predecessor can no longer move these checkpoints. A cluster that starts
        // later reads them here too: nothing but this publisher writes them from now on.
        progress.reached(StartupProgress.Step.CHECKPOINT_READ, "topic " + kafka.checkpointTopic());
        Checkpoints checkpoints = Checkpoints.read(reader, kafka.checkpointTopic());
        publisher.start();

        Bridge bridge = new Bridge(settings, pauser, publisher, watchSink.apply(publisher), checkpoints, topicNames, topicLimits, clientConfig, stopped);
        resolved.forEach(bridge::startWatchers);
        for (Feed feed : pending) {
            bridge.startLater(feed);
        }
        log.info("streaming {} watch(es) of {} cluster(s) to Kafka at {} ({}){}", bridge.watchers.size(), resolved.size(),
                kafka.bootstrapServers(), kafka.exactlyOnce() ? "exactly-once, transactional.id " + transactionalId : "at-least-once",
                pending.isEmpty() ? "" : "; waiting for " + pending.stream().map(Feed::name).toList());
        progress.reached(StartupProgress.Step.STARTED, "");
        return bridge;
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
    private static void ensureTopicsPatiently(KafkaSettings kafka, Map<String, Object> clientConfig, TopicNames topicNames,
                                              TopicLimits topicLimits, List<WatchTarget> targets, Pauser pauser, String lateCluster,
                                              Map<String, String> waiting) throws Exception {
        Set<String> topics = new LinkedHashSet<>();
        targets.forEach(t -> topics.add(topicNames.topicFor(t)));
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        while (true) {
            try {
                new TopicCreator(clientConfig).ensure(topics, kafka.checkpointTopic(), kafka.partitions(), kafka.replicationFactor(), kafka.topicConfig());
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

    /** Starts one watcher thread per target, unless the bridge is closing. */
    private synchronized void startWatchers(Feed feed, List<WatchTarget> targets) {
        if (closing) {
            return;
        }
        // Watches of one resource writing one topic know each other, so an object leaving one selection for another stays in the topic.
        Map<WatchTarget, SelectionCheck> selections = SelectionCheck.forTargets(targets, feed.api(), topicNames::topicFor);
        for (WatchTarget target : targets) {
            Watcher watcher = new Watcher(target, feed.api(), watchSink, settings.watch(), checkpoints.resourceVersionOf(target), pauser,
                    selections.get(target));
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
     * backoff, creates the cluster's topics (retried as long as Kafka is unreachable) and starts its
     * watchers. A configuration error found then (an unknown resource, a broken kubeconfig, a topic
     * setting the broker rejects) stops the bridge as it would have at start-up.
     */
    private void startLater(Feed feed) {
        waiting.put(feed.name(), "waiting for discovery at " + feed.api().url());
        Thread starter = new Thread(() -> {
            try {
                List<WatchTarget> targets = resolveTargetsPatiently(feed, settings, pauser, waiting);
                ensureTopicsPatiently(settings.kafka(), clientConfig, topicNames, topicLimits, targets, pauser, feed.name(), waiting);
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
                return resolveIdentifiedTargets(feed);
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
            return resolveIdentifiedTargets(feed);
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
                : e instanceof GroupDiscoveryFailedException ? "at " + url + ", " + e.getMessage()
                : "cannot reach the API server at " + url + ": " + TlsFailure.describe(url, e).orElse(e.getMessage());
        log.error("cluster {}: {}; {}", feed.name(), problem, next);
        if (waiting != null) {
            waiting.put(feed.name(), "waiting for discovery: " + problem);
        }
    }

    /**
     * The cluster's watches, each carrying the cluster's identity, read once per start, so every record
     * and checkpoint says which cluster it came from, and a checkpoint of another cluster is not resumed.
     */
    private static List<WatchTarget> resolveIdentifiedTargets(Feed feed) throws Exception {
        List<WatchTarget> targets = TargetResolver.resolve(feed.settings(), new Discovery(feed.api()), feed.entryPath());
        Optional<String> uid = ClusterIdentity.fetch(feed.api(), feed.name());
        return uid.isEmpty() ? targets : targets.stream().map(target -> target.withClusterUid(uid.get())).toList();
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
