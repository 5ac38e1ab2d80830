package io.kube2kafka.connect;

import io.kube2kafka.cluster.ApiClients;
import io.kube2kafka.config.BridgeSettings;
import io.kube2kafka.publish.Notifications;
import io.kube2kafka.publish.RecordFactory;
import io.kube2kafka.publish.RecordPipeline;
import io.kube2kafka.publish.SignalListener;
import io.kube2kafka.publish.TopicReader;
import io.kube2kafka.watch.ApiClient;
import io.kube2kafka.watch.ClusterIdentity;
import io.kube2kafka.watch.Pauser;
import io.kube2kafka.watch.ResumeDecision;
import io.kube2kafka.watch.ResumePoint;
import io.kube2kafka.watch.SelectionCheck;
import io.kube2kafka.watch.WatchBatch;
import io.kube2kafka.watch.WatchEvent;
import io.kube2kafka.watch.WatchTarget;
import io.kube2kafka.watch.WatchThreads;
import io.kube2kafka.watch.Watcher;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the watches the connector assigned to this task, one {@link Watcher} thread each, and hands
 * their events to Connect as records with the same key, value, headers and tombstones as the
 * standalone bridge writes.
 *
 * <p>Source partition = the watch ({@link #sourcePartition}); source offset = the resourceVersion
 * to resume from once the record is committed ({@link #sourceOffset}). Events of a list carry the
 * offset the watch had before the list, because resuming from the middle of a list would skip the
 * comparison that finds deletions; the list's own resourceVersion rides on its last record.
 */
public final class KubernetesSourceTask extends SourceTask {
    private static final Logger log = LoggerFactory.getLogger(KubernetesSourceTask.class);
    static final String CLUSTER_FIELD = "cluster";
    static final String WATCH_FIELD = "watch";
    static final String RESOURCE_VERSION_FIELD = "resourceVersion";
    /** The identity of the cluster the offset belongs to, as in the bridge's checkpoints. */
    static final String CLUSTER_UID_FIELD = "clusterUid";
    /** Connect calls poll() in a loop; returning now and then lets it commit offsets and notice a stop. */
    private static final Duration POLL_WAIT = Duration.ofSeconds(1);
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    private final List<Watcher> watchers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** The offset each watch's events carry when their batch has no resume point of its own; poll thread only. */
    private final Map<String, Map<String, ?>> carriedOffsets = new HashMap<>();
    private final Map<String, HeldRecords> held = new LinkedHashMap<>();
    private TaskSink sink;
    private RecordFactory records;
    private RecordSchemas schemas;
    private int maxBatchEvents;
    private String notificationTopic;
    private SignalListener signals;

    static Map<String, String> sourcePartition(WatchTarget target) {
        return Map.of(CLUSTER_FIELD, target.cluster(), WATCH_FIELD, target.key());
    }

    static Map<String, String> sourceOffset(WatchTarget target, String resourceVersion) {
        return target.clusterUid() == null ? Map.of(RESOURCE_VERSION_FIELD, resourceVersion)
                : Map.of(RESOURCE_VERSION_FIELD, resourceVersion, CLUSTER_UID_FIELD, target.clusterUid());
    }

    @Override
    public String version() {
        return KubernetesSourceConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        KubernetesSourceConfig config = new KubernetesSourceConfig(props);
        BridgeSettings settings = config.bridgeSettings();
        List<WatchTarget> assigned = WatchAssignment.decode(props.get(WatchAssignment.WATCHES_CONFIG));
        ApiClient api;
        try {
            api = ApiClients.forCluster(settings.kubernetes(), settings.watch());
        } catch (Exception e) {
            throw new ConnectException("cannot set up the connection to the API server: " + e.getMessage(), e);
        }
        String clusterUid = clusterIdentity(api, assigned);
        List<WatchTarget> targets = clusterUid == null ? assigned : assigned.stream().map(t -> t.withClusterUid(clusterUid)).toList();
        // Same limit as the worker's producer, so an event Kafka would refuse becomes a marker (or stops the task).
        String maxRequestSize = props.getOrDefault("producer.override.max.request.size", Integer.toString(DEFAULT_MAX_REQUEST_SIZE));
        records = RecordPipeline.recordFactory(settings, Integer.parseInt(maxRequestSize.trim()));
        schemas = RecordSchemas.of(props);
        maxBatchEvents = settings.kafka().maxBatchEvents();
        notificationTopic = settings.kafka().notificationTopic();
        sink = new TaskSink(records::topicFor, new TopicReader(TopicReaderConfig.from(settings.kafka().bootstrapServers(), props)),
                settings.kafka().maxQueuedBytes());

        List<Map<String, String>> partitions = targets.stream().map(KubernetesSourceTask::sourcePartition).toList();
        Map<Map<String, String>, Map<String, Object>> offsets = context.offsetStorageReader().offsets(partitions);
        // The connector keeps the watches of one topic in one task (WatchAssignment), so they know each other here.
        Map<WatchTarget, SelectionCheck> selections = SelectionCheck.forTargets(targets, api, records::topicFor);
        for (WatchTarget target : targets) {
            Map<String, Object> offset = offsets.get(sourcePartition(target));
            Object resourceVersion = offset == null ? null : offset.get(RESOURCE_VERSION_FIELD);
            Object storedUid = offset == null ? null : offset.get(CLUSTER_UID_FIELD);
            ResumePoint resume = WatchAssignment.resumePoint(target, ResumeDecision.resumeFrom(target,
                    resourceVersion == null ? null : resourceVersion.toString(), storedUid == null ? null : storedUid.toString()), props);
            if (resume.resumes()) {
                carriedOffsets.put(target.key(), sourceOffset(target, resume.resourceVersion()));
            }
            Watcher watcher = new Watcher(target, api, sink, settings.watch(), resume, Pauser.REAL, selections.get(target));
            watchers.add(watcher);
            Thread thread = WatchThreads.create(watcher, "kube2kafka watch " + target.key());
            thread.setDaemon(true);
            threads.add(thread);
        }
        PluginMetrics metrics = TaskWatchMetrics.pluginMetricsOf(context);
        if (metrics != null) {
            TaskWatchMetrics.register(metrics, watchers.stream().map(Watcher::status).toList());
        }
        threads.forEach(Thread::start);
        // A task holds only the watches the connector assigned it, so a watch it lacks may run in another task of
        // the same connector: only the task told every watch of the connector answers unknown-watch.
        Set<String> connectorWatches = WatchAssignment.connectorWatches(props);
        Set<String> answersFor = connectorWatches == null ? Set.of() : Set.of(settings.cluster());
        Set<String> streamedElsewhere = connectorWatches == null ? Set.of() : connectorWatches;
        signals = new SignalListener(TopicReaderConfig.from(settings.kafka().bootstrapServers(), props), settings.kafka().signalTopic(),
                notificationTopic, answersFor, () -> watchers, streamedElsewhere::contains).start();
        log.info("watching {} from {} ({} offsets found)", targets, api.url(), carriedOffsets.size());
    }

    /**
     * The cluster's identity, read once per task start as the bridge reads it once per start. When the
     * API server cannot be reached now, the task starts without it (the watches retry on their own):
     * its records then carry no k8s.cluster.uid and its offsets are resumed unchecked this time.
     */
    private static String clusterIdentity(ApiClient api, List<WatchTarget> targets) {
        String cluster = targets.isEmpty() ? "" : targets.get(0).cluster();
        try {
            return ClusterIdentity.fetch(api, cluster).orElse(null);
        } catch (java.io.IOException e) {
            log.warn("cluster {}: cannot read the cluster's identity from {} ({}); this task's records carry no k8s.cluster.uid "
                    + "and its offsets are resumed without checking that the name still points at the same cluster", cluster, api.url(), e.getMessage());
            return null;
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<WatchBatch> round = sink.take(maxBatchEvents, POLL_WAIT);
        if (round.isEmpty() && held.isEmpty()) {
            return null;
        }
        Set<String> inRound = new HashSet<>();
        round.forEach(batch -> inRound.add(batch.target().key()));
        List<Pending> pending = new ArrayList<>();
        Map<String, Integer> lastOfWatch = new HashMap<>();
        long now = System.nanoTime();
        for (Iterator<Map.Entry<String, HeldRecords>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, HeldRecords> entry = it.next();
            // Held records go first: they precede anything new of their watch.
            if (inRound.contains(entry.getKey()) || now - entry.getValue().since >= POLL_WAIT.toNanos()) {
                pending.addAll(entry.getValue().records);
                lastOfWatch.put(entry.getKey(), pending.size() - 1);
                it.remove();
            }
        }
        Map<String, Integer> lastBatchStart = new HashMap<>();  // where a trailing list page of a watch begins, -1 for none
        for (WatchBatch batch : round) {
            String watch = batch.target().key();
            Map<String, ?> offset = carriedOffsets.get(watch);
            if (batch.resumeResourceVersion() != null) {
                offset = sourceOffset(batch.target(), batch.resumeResourceVersion());
                carriedOffsets.put(watch, offset);
                Integer last = lastOfWatch.get(watch);
                if (batch.events().isEmpty() && last != null) {
                    // A bookmark or the end of a list: Connect commits offsets only with records, so
                    // the new resume point rides on the watch's last record of this round, which it follows.
                    pending.get(last).offset = offset;
                }
                if (batch.events().isEmpty()) {
                    lastBatchStart.put(watch, -1);
                }
            }
            int first = pending.size();
            for (WatchEvent event : batch.events()) {
                List<RecordFactory.Outgoing> outgoing = records.outgoing(batch.target(), event);
                for (int i = 0; i < outgoing.size(); i++) {
                    pending.add(new Pending(batch.target(), outgoing.get(i), offset, i == outgoing.size() - 1 ? event : null));
                }
            }
            if (batch.listSummary() != null) {
                // With the list's resume point as its offset, so Connect commits it together with the list's end.
                pending.add(new Pending(batch.target(), new RecordFactory.Outgoing(notificationTopic, Notifications.key(batch.target()),
                        Notifications.snapshot(batch.target(), batch.listSummary())), offset, null));
            }
            if (pending.size() > first) {
                lastOfWatch.put(watch, pending.size() - 1);
                lastBatchStart.put(watch, batch.resumeResourceVersion() == null ? first : -1);
            }
        }
        // A list's last page is followed at once by the batch that ends the list and carries its
        // resourceVersion. Holding the page's records back for one round (a second at most) lets that
        // resume point ride on them; otherwise a quiet watch would keep the offset from before the list
        // and list again after every restart. They never wait longer, as a relist waits for them.
        List<Pending> released = new ArrayList<>(pending.size());
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            Integer start = lastBatchStart.get(p.target.key());
            if (start != null && start >= 0 && i >= start) {
                held.computeIfAbsent(p.target.key(), k -> new HeldRecords(now)).records.add(p);
            } else {
                released.add(p);
            }
        }
        List<SourceRecord> polled = new ArrayList<>(released.size());
        for (Pending p : released) {
            SourceRecord record = toSourceRecord(p);
            sink.sent(record, p.target, p.completes);
            polled.add(record);
        }
        return polled.isEmpty() ? null : polled;
    }

    /** Records of a list page waiting one round for the list's end; poll thread only. */
    private static final class HeldRecords {
        final long since;
        final List<Pending> records = new ArrayList<>();

        HeldRecords(long since) {
            this.since = since;
        }
    }

    /** One record on its way to Connect; its offset may still move forward within the round. */
    private static final class Pending {
        final WatchTarget target;
        final RecordFactory.Outgoing outgoing;
        final WatchEvent completes;
        Map<String, ?> offset;

        Pending(WatchTarget target, RecordFactory.Outgoing outgoing, Map<String, ?> offset, WatchEvent completes) {
            this.target = target;
            this.outgoing = outgoing;
            this.offset = offset;
            this.completes = completes;
        }
    }

    private SourceRecord toSourceRecord(Pending p) {
        RecordFactory.Outgoing out = p.outgoing;
        ConnectHeaders headers = new ConnectHeaders();
        out.headerValues().forEach(headers::addString);
        // No Kafka partition: the producer hashes the key, as the standalone bridge's does, so one object stays in one partition.
        return new SourceRecord(sourcePartition(p.target), p.offset, out.topic(), null, schemas.keySchema(), schemas.key(out.key()),
                schemas.valueSchema(), schemas.value(out.value()), null, headers);
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        sink.committed(record, metadata);
    }

    /** Wakes a waiting poll() and ends the watches; called from another thread than poll(). */
    @Override
    public void stop() {
        if (signals != null) {
            try {
                signals.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (sink != null) {
            sink.stop();
        }
        watchers.forEach(Watcher::stop);
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.info("stopped {} watch(es)", watchers.size());
    }
}
