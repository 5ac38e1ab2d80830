package io.kube2kafka.bridge;

import io.kube2kafka.cluster.ClusterConfigException;
import io.kube2kafka.cluster.ApiClients;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.config.ClusterSettings;
import io.kube2kafka.config.ConfigKeys;
import io.kube2kafka.config.KafkaSettings;
import io.kube2kafka.config.PendingResources;
import io.kube2kafka.config.ResolvedTargets;
import io.kube2kafka.publish.Checkpoints;
import io.kube2kafka.publish.KafkaClients;
import io.kube2kafka.publish.PublisherSettings;
import io.kube2kafka.publish.RecordFactory;
import io.kube2kafka.publish.RecordPipeline;
import io.kube2kafka.publish.SignalListener;
import io.kube2kafka.publish.TopicLimits;
import io.kube2kafka.publish.TopicNames;
import io.kube2kafka.publish.TopicReader;
import io.kube2kafka.publish.TransactionalPublisher;
import io.kube2kafka.watch.ListCause;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.ResumePoint;
import io.kube2kafka.watch.SelectionCheck;
import io.kube2kafka.watch.UnknownResourceException;
import io.kube2kafka.watch.WatchSink;
import io.kube2kafka.watch.WatchStatus;
import io.kube2kafka.watch.WatchTarget;
import io.kube2kafka.watch.WatchThreads;
import io.kube2kafka.watch.Watcher;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * A configured resource waiting for an API group that did not answer discovery holds back only its
 * own watches: the cluster's others stream, and it is retried until it resolves ({@link PendingResources}).
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
    /** The thread of each running watcher, so a watch whose resource disappears can be stopped alone. */
    private final Map<Watcher, Thread> threadOf = new ConcurrentHashMap<>();
    /** Watches stopped because their resource is no longer served (a CRD removed), by key, with why. */
    private final Map<String, String> retired = new ConcurrentHashMap<>();
    /** Cluster name to why it is not streaming yet, while its discovery retries. */
    private final Map<String, String> waiting = new ConcurrentHashMap<>();
    private boolean closing; // guarded by this: no watcher starts once close() began
    private SignalListener signals;

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
        List<ClusterFeed> feeds = new ArrayList<>();
        for (int i = 0; i < settings.clusters().size(); i++) {
            ClusterSettings cluster = settings.clusters().get(i);
            String entryPath = several ? ConfigKeys.CLUSTERS_CONFIG + "[" + i + "]" : "";
            try {
                feeds.add(new ClusterFeed(cluster, ApiClients.forCluster(cluster.kubernetes(), settings.watch()), entryPath));
            } catch (ClusterConfigException e) {
                throw several ? new ClusterConfigException(entryPath + " (cluster " + cluster.cluster() + "): " + e.getMessage(), e) : e;
            }
        }
        Map<ClusterFeed, ResolvedTargets> resolved = new LinkedHashMap<>();
        List<ClusterFeed> pending = new ArrayList<>();
        for (ClusterFeed feed : feeds) {
            ResolvedTargets targets;
            progress.reached(StartupProgress.Step.DISCOVERY, "cluster " + feed.name() + " at " + feed.api().url());
            try {
                targets = several ? feed.watchesOnce(null)
                        : feed.watchesPatiently(settings.watch(), pauser, progress.discoveryProblems());
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
        List<WatchTarget> firstTargets = resolved.values().stream().flatMap(r -> r.targets().stream()).toList();
        progress.reached(StartupProgress.Step.TOPIC_CREATION, "Kafka at " + kafka.bootstrapServers());
        new TopicSetup(kafka, clientConfig, topicNames, topicLimits, pauser).ensure(firstTargets, null, null);

        TopicReader reader = new TopicReader(clientConfig);
        Map<String, Object> producerConfig = KafkaClients.producerConfig(kafka, clientConfig);
        int maxRequestSize = Integer.parseInt(String.valueOf(producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
        RecordFactory records = RecordPipeline.recordFactory(settings, maxRequestSize, topicLimits::maxMessageBytes);
        String transactionalId = kafka.exactlyOnce() ? settings.transactionalId() : null;
        CompletableFuture<Throwable> stopped = new CompletableFuture<>();
        progress.reached(StartupProgress.Step.INIT_TRANSACTIONS, "Kafka at " + kafka.bootstrapServers()
                + (transactionalId == null ? "; at-least-once, no transactional.id" : ", transactional.id " + transactionalId));
        TransactionalPublisher publisher = new TransactionalPublisher(
                new PublisherSettings(producerConfig, transactionalId, kafka.checkpointTopic(), kafka.notificationTopic(), kafka.maxBatchEvents(),
                        kafka.maxQueuedBytes(), kafka.shutdownTimeout()),
                records, reader, topicLimits, stopped::complete).initialize();
        // Only after the fence: a predecessor can no longer move these checkpoints. A cluster that starts
        // later reads them here too: nothing but this publisher writes them from now on.
        progress.reached(StartupProgress.Step.CHECKPOINT_READ, "topic " + kafka.checkpointTopic());
        Checkpoints checkpoints = Checkpoints.read(reader, kafka.checkpointTopic());
        publisher.start();

        Bridge bridge = new Bridge(settings, pauser, publisher, watchSink.apply(publisher), checkpoints, topicNames, topicLimits, clientConfig, stopped);
        resolved.forEach(bridge::startWatchers);
        // Every configured cluster is this instance's to answer for: instances streaming one cluster share its configuration.
        bridge.signals = new SignalListener(clientConfig, kafka.signalTopic(), kafka.notificationTopic(),
                settings.clusters().stream().map(ClusterSettings::cluster).collect(java.util.stream.Collectors.toSet()),
                () -> List.copyOf(bridge.watchers)).start();
        for (ClusterFeed feed : pending) {
            bridge.startLater(feed);
        }
        log.info("streaming {} watch(es) of {} cluster(s) to Kafka at {} ({}){}", bridge.watchers.size(), resolved.size(),
                kafka.bootstrapServers(), kafka.exactlyOnce() ? "exactly-once, transactional.id " + transactionalId : "at-least-once",
                pending.isEmpty() ? "" : "; waiting for " + pending.stream().map(ClusterFeed::name).toList());
        progress.reached(StartupProgress.Step.STARTED, "");
        return bridge;
    }

    /** Starts one watcher thread per target, unless the bridge is closing, and retries the names still pending. */
    private synchronized void startWatchers(ClusterFeed feed, ResolvedTargets resolved) {
        if (closing) {
            return;
        }
        List<WatchTarget> targets = resolved.targets();
        // Watches of one resource writing one topic know each other, so an object leaving one selection for another stays in the topic.
        Map<WatchTarget, SelectionCheck> selections = SelectionCheck.forTargets(targets, feed.api(), topicNames::topicFor);
        for (WatchTarget target : targets) {
            startWatcher(feed, target, checkpoints.resumePointOf(target), selections.get(target));
        }
        waiting.remove(feed.name());
        log.info("cluster {}: streaming {} watch(es) from {}", feed.name(), targets.size(), feed.api().url());
        if (feed.settings().everyResource()) {
            Thread follower = new Thread(new Rediscovery(feed, targets, settings.discoveryInterval(), pauser, new FollowDiscovery()),
                    "discovery " + feed.name());
            starters.add(follower);
            follower.start();
        }
        if (!resolved.complete()) {
            followPending(feed, resolved);
        }
    }

    /**
     * A starter thread for the names of a cluster that wait for an API group that did not answer: each
     * starts as a CRD discovered later does (topics first, then a list) once its group answers; meanwhile
     * readiness names them. A name not served once the group answers stops the bridge, as at start-up.
     */
    private void followPending(ClusterFeed feed, ResolvedTargets first) {
        PendingResources.Changes changes = new PendingResources.Changes() {
            @Override
            public void start(List<WatchTarget> appeared) throws Exception {
                new FollowDiscovery().start(feed, appeared);
            }

            @Override
            public void pending(ResolvedTargets now) {
                if (now.complete()) {
                    waiting.remove(feed.name());
                } else {
                    waiting.put(feed.name(), "streaming " + now.targets().size() + " watch(es); waiting for discovery: "
                            + now.describePending());
                }
            }

            @Override
            public void failed(Exception e) {
                stopped.complete(e instanceof UnknownResourceException unknown && !feed.entryPath().isEmpty()
                        ? unknown.inCluster(feed.name(), feed.entryPath()) : e);
            }
        };
        changes.pending(first); // readiness names them from the start, not only once the thread runs
        Thread starter = new Thread(new PendingResources(feed.name(), first, feed::identifiedWatches, changes,
                settings.watch().backoffInitial(), settings.watch().backoffMax(), pauser), "pending " + feed.name());
        starters.add(starter);
        starter.start();
    }

    private void startWatcher(ClusterFeed feed, WatchTarget target, ResumePoint resume, SelectionCheck selection) {
        Watcher watcher = new Watcher(target, feed.api(), watchSink, settings.watch(), resume, pauser, selection);
        watchers.add(watcher);
        Thread thread = WatchThreads.create(watcher, "watch " + target.key());
        threads.add(thread);
        threadOf.put(watcher, thread);
        thread.start();
    }

    /** How the bridge follows discovery for a cluster with resources = ["*"]. */
    private final class FollowDiscovery implements Rediscovery.Changes {
        /**
         * Topics first, as at start-up; then each watch lists and compares (reason "discovered"), never resumes:
         * a checkpoint left by an earlier install of the same CRD predates the deletion of all its objects.
         */
        @Override
        public void start(ClusterFeed feed, List<WatchTarget> appeared) throws Exception {
            new TopicSetup(settings.kafka(), clientConfig, topicNames, topicLimits, pauser).ensure(appeared, feed.name(), waiting);
            waiting.remove(feed.name());
            synchronized (Bridge.this) {
                if (closing) {
                    return;
                }
                // The namespaces of one configured resource that resolved late share its topic, as at start-up.
                Map<WatchTarget, SelectionCheck> selections = SelectionCheck.forTargets(appeared, feed.api(), topicNames::topicFor);
                for (WatchTarget target : appeared) {
                    retired.remove(target.key());
                    ResumePoint stored = checkpoints.resumePointOf(target);
                    startWatcher(feed, target, new ResumePoint(null, stored.storedResourceVersion(), ListCause.DISCOVERED),
                            selections.get(target));
                }
            }
        }

        @Override
        public void stop(ClusterFeed feed, List<WatchTarget> vanished) throws InterruptedException {
            for (WatchTarget target : vanished) {
                for (Watcher watcher : watchers) {
                    if (watcher.target().key().equals(target.key())) {
                        stopOne(watcher);
                    }
                }
            }
        }

        private void stopOne(Watcher watcher) throws InterruptedException {
            WatchTarget target = watcher.target();
            watcher.stop();
            Thread thread = threadOf.remove(watcher);
            if (thread != null) {
                thread.interrupt();
                thread.join();
                threads.remove(thread);
            }
            watchers.remove(watcher);
            String why = target.resource().qualifiedName() + " is no longer served (its CRD was removed, or it lost the list or watch verb)";
            retired.put(target.key(), why);
            // The checkpoint stays: it covers what was handed on (the objects' DELETED events come before the watch ends), and
            // a CRD installed again lists and compares from it, so an event read but not handed on is not lost either.
            log.warn("cluster {}: {}; watch {} stopped at resourceVersion {}, its checkpoint kept", target.cluster(), why, target.key(),
                    watcher.status().resourceVersion());
        }
    }

    /**
     * A starter thread for a cluster that could not be reached at start-up: it retries discovery with
     * backoff, creates the cluster's topics (retried as long as Kafka is unreachable) and starts its
     * watchers. A configuration error found then (an unknown resource, a broken kubeconfig, a topic
     * setting the broker rejects) stops the bridge as it would have at start-up.
     */
    private void startLater(ClusterFeed feed) {
        waiting.put(feed.name(), "waiting for discovery at " + feed.api().url());
        Thread starter = new Thread(() -> {
            try {
                ResolvedTargets targets = feed.watchesPatiently(settings.watch(), pauser, waiting);
                new TopicSetup(settings.kafka(), clientConfig, topicNames, topicLimits, pauser).ensure(targets.targets(), feed.name(), waiting);
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

    /** Completes with the cause when a fatal error stops the bridge (e.g. it was fenced). */
    public CompletableFuture<Throwable> stopped() {
        return stopped;
    }

    public List<WatchStatus> watchStatuses() {
        return watchers.stream().map(Watcher::status).toList();
    }

    /** Watches stopped while running because their resource is no longer served, by key, each with why. */
    public Map<String, String> retiredWatches() {
        return new TreeMap<>(retired);
    }

    /** Clusters not streaming yet because their discovery keeps failing, each with the last reason. */
    public Map<String, String> waitingClusters() {
        return new TreeMap<>(waiting);
    }

    /** True once signals written from now on are acted on (the signal topic is read from its end). */
    public boolean listeningForSignals() {
        return signals.listening();
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
        if (signals != null) {
            signals.close();
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
