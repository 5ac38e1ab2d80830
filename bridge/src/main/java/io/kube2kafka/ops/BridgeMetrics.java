package io.kube2kafka.ops;

import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.publish.PublisherStats;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.WatchStatus;
import io.kube2kafka.watch.WatchTarget;
import io.kube2kafka.config.BuildVersion;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The bridge's Prometheus metrics. Nearly all are callbacks that read {@link WatchStatus} and
 * {@link PublisherStats} at scrape time, so the data path keeps its own plain counters and knows
 * nothing of Prometheus; only the commit-time histogram is fed, through a commit listener.
 *
 * <p>Per-watch series carry the labels cluster, resource ({@code core/v1/pods}) and namespace
 * ("" for all namespaces). Counter names get their {@code _total} suffix from the client library.
 */
public final class BridgeMetrics {
    private static final String[] WATCH_LABELS = {"cluster", "resource", "namespace"};

    private BridgeMetrics() {
    }

    /** What is there from the first second, before the bridge has started: JVM and process metrics, and the build. */
    public static PrometheusRegistry registerProcess(PrometheusRegistry registry) {
        JvmMetrics.builder().register(registry);
        Info buildInfo = Info.builder().name("kube2kafka_build_info").help("The running build: its version")
                .labelNames("version").register(registry);
        buildInfo.addLabelValues(BuildVersion.get());
        return registry;
    }

    /** The bridge's own metrics, once it has started. */
    public static PrometheusRegistry register(Bridge bridge, PrometheusRegistry registry) {
        Supplier<List<WatchStatus>> watches = bridge::watchStatuses;
        PublisherStats publisher = bridge.publisher().stats();

        CounterWithCallback.builder().name("kube2kafka_watch_events")
                .help("Watch events read from the API server, by type (BOOKMARK included; list results are not events)")
                .labelNames("cluster", "resource", "namespace", "type")
                .callback(cb -> forEach(watches, (w, l) -> {
                    for (EventType type : EventType.values()) {
                        if (type != EventType.ERROR) {
                            cb.call(w.events(type), l[0], l[1], l[2], type.name());
                        }
                    }
                })).register(registry);
        CounterWithCallback.builder().name("kube2kafka_watch_event_bytes")
                .help("Bytes of watch event lines read from the API server").unit(Unit.BYTES)
                .labelNames(WATCH_LABELS)
                .callback(cb -> forEach(watches, (w, l) -> cb.call(w.eventBytes(), l))).register(registry);
        CounterWithCallback.builder().name("kube2kafka_records_published")
                .help("Records carrying an event committed to Kafka (list-derived included, tombstones not counted)")
                .labelNames(WATCH_LABELS)
                .callback(cb -> forEach(watches, (w, l) -> cb.call(publisher.events(w.target().key()), l))).register(registry);
        CounterWithCallback.builder().name("kube2kafka_published_bytes")
                .help("Bytes of the committed events as the API server sent them (before output transforms)").unit(Unit.BYTES)
                .labelNames(WATCH_LABELS)
                .callback(cb -> forEach(watches, (w, l) -> cb.call(publisher.bytes(w.target().key()), l))).register(registry);
        GaugeWithCallback.builder().name("kube2kafka_watch_lag_seconds")
                .help("Age of the oldest event read from the watch and not yet committed to Kafka; 0 when all is committed, "
                        + "so a quiet, caught-up watch reads 0 and a stalled one grows")
                .labelNames(WATCH_LABELS)
                .callback(cb -> forEach(watches, (w, l) -> cb.call(publisher.lagSeconds(w.target().key()), l))).register(registry);
        // State is bounded (five values); resourceVersions are not, so they are gauges below, never labels.
        registry.register(() -> {
            InfoSnapshot.Builder info = InfoSnapshot.builder().name("kube2kafka_watch")
                    .help("The watch and the state of its loop (STARTING, LISTING, WATCHING, FAILING, STOPPED)");
            forEach(watches, (w, l) -> info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                    .labels(Labels.of("cluster", l[0], "resource", l[1], "namespace", l[2], "state", w.state().name()))
                    .build()));
            return info.build();
        });
        GaugeWithCallback.builder().name("kube2kafka_watch_resource_version")
                .help("The watch's current resourceVersion, when it is a number (etcd's revision); informational only: "
                        + "Kubernetes calls resourceVersions opaque, so compare them for equality, never subtract them")
                .labelNames(WATCH_LABELS)
                .callback(cb -> forEach(watches, (w, l) -> numeric(w.resourceVersion(), v -> cb.call(v, l)))).register(registry);
        GaugeWithCallback.builder().name("kube2kafka_watch_committed_resource_version")
                .help("The resourceVersion committed to Kafka for the watch, when it is a number; see kube2kafka_watch_resource_version")
                .labelNames(WATCH_LABELS)
                .callback(cb -> {
                    Map<String, String> committed = publisher.committedResourceVersions();
                    forEach(watches, (w, l) -> numeric(committed.get(w.target().key()), v -> cb.call(v, l)));
                }).register(registry);
        GaugeWithCallback.builder().name("kube2kafka_watch_up")
                .help("1 while the watch is open (WATCHING), else 0")
                .labelNames(WATCH_LABELS)
                .callback(cb -> forEach(watches, (w, l) -> cb.call(w.state() == WatchStatus.State.WATCHING ? 1 : 0, l))).register(registry);
        GaugeWithCallback.builder().name("kube2kafka_watch_listed_objects")
                .help("Objects the running or last list returned so far")
                .labelNames(WATCH_LABELS)
                .callback(cb -> forEach(watches, (w, l) -> cb.call(w.listedSoFar(), l))).register(registry);
        CounterWithCallback.builder().name("kube2kafka_watch_relists")
                .help("Lists compared with the topic, by cause: first-start, expired (410 Gone), too-large-resource-version or other")
                .labelNames("cluster", "resource", "namespace", "cause")
                .callback(cb -> forEach(watches, (w, l) -> w.listsByCause().forEach((cause, count) ->
                        cb.call(count, l[0], l[1], l[2], cause.label())))).register(registry);
        CounterWithCallback.builder().name("kube2kafka_lists_completed")
                .help("Lists completed and committed, each with its notification, by reason (first-start, expired, "
                        + "too-large-resource-version, cluster-changed, signal, discovered, other) and method (watch-list, paginated-list)")
                .labelNames("cluster", "resource", "namespace", "reason", "method")
                .callback(cb -> forEach(watches, (w, l) -> publisher.completedLists(w.target().key()).forEach((list, count) ->
                        cb.call(count, l[0], l[1], l[2], list.reason(), list.method())))).register(registry);
        CounterWithCallback.builder().name("kube2kafka_list_objects")
                .help("Objects of completed lists by outcome, compared with the topic: unchanged, changed, added, "
                        + "deleted (deleted while unwatched: a derived DELETED each)")
                .labelNames("cluster", "resource", "namespace", "outcome")
                .callback(cb -> forEach(watches, (w, l) -> publisher.listObjects(w.target().key()).forEach((outcome, count) ->
                        cb.call(count, l[0], l[1], l[2], outcome)))).register(registry);
        CounterWithCallback.builder().name("kube2kafka_watch_restarts")
                .help("Times the watch loop went round again, by cause: closed (the server ended the watch), expired, throttled, "
                        + "unauthorized, http-4xx, http-5xx, idle-timeout, malformed, connection, unexpected")
                .labelNames("cluster", "resource", "namespace", "cause")
                .callback(cb -> forEach(watches, (w, l) -> w.restartsByCause().forEach((cause, count) ->
                        cb.call(count, l[0], l[1], l[2], cause.label())))).register(registry);
        CounterWithCallback.builder().name("kube2kafka_watch_expired")
                .help("410 Gone / Expired answers, as a status or as an ERROR event in the stream")
                .labelNames(WATCH_LABELS)
                .callback(cb -> forEach(watches, (w, l) -> cb.call(w.errors().getOrDefault("410", 0L), l))).register(registry);
        CounterWithCallback.builder().name("kube2kafka_watch_incomplete_lists")
                .help("WatchList streams that ended before the bookmark completing their list: nothing derived from them, listed again")
                .labelNames(WATCH_LABELS)
                .callback(cb -> forEach(watches, (w, l) -> cb.call(w.incompleteStreamedLists(), l))).register(registry);
        CounterWithCallback.builder().name("kube2kafka_watch_opened")
                .help("Watches opened (the first and every reconnect)")
                .labelNames(WATCH_LABELS)
                .callback(cb -> forEach(watches, (w, l) -> cb.call(w.watchesOpened(), l))).register(registry);
        CounterWithCallback.builder().name("kube2kafka_watch_errors")
                .help("Failed lists and watches by cause: HTTP status code or exception class")
                .labelNames("cluster", "resource", "namespace", "cause")
                .callback(cb -> forEach(watches, (w, l) -> w.errors().forEach((cause, count) -> cb.call(count, l[0], l[1], l[2], cause))))
                .register(registry);
        CounterWithCallback.builder().name("kube2kafka_watch_unexpected_errors")
                .help("Failures outside the API and I/O errors (a credential plugin or token file that throws, Kafka unreachable"
                        + " while the topic is read, a bug), by exception class; each is logged and retried with backoff."
                        + " Also counted in kube2kafka_watch_errors")
                .labelNames("cluster", "resource", "namespace", "cause")
                .callback(cb -> forEach(watches, (w, l) -> w.unexpectedErrors().forEach((cause, count) -> cb.call(count, l[0], l[1], l[2], cause))))
                .register(registry);

        CounterWithCallback.builder().name("kube2kafka_transactions")
                .help("Rounds committed to Kafka (one transaction each with exactly-once)")
                .callback(cb -> cb.call(publisher.transactions())).register(registry);
        CounterWithCallback.builder().name("kube2kafka_transaction_failures")
                .help("Rounds that failed and were retried, by exception class")
                .labelNames("cause")
                .callback(cb -> publisher.failuresByCause().forEach((cause, count) -> cb.call(count, cause))).register(registry);
        GaugeWithCallback.builder().name("kube2kafka_publisher_healthy")
                .help("1 while the last Kafka transaction succeeded, else 0")
                .callback(cb -> cb.call(publisher.healthy() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("kube2kafka_last_commit_timestamp_seconds")
                .help("When the last round was committed to Kafka (Unix time); 0 before the first. "
                        + "Bookmarks are committed too, so a healthy bridge commits at least once per bookmark interval")
                .unit(Unit.SECONDS)
                .callback(cb -> cb.call(publisher.lastCommitEpochMillis() / 1000.0)).register(registry);
        GaugeWithCallback.builder().name("kube2kafka_queued_bytes")
                .help("Bytes of events handed over by the watchers and not yet committed (bounded by kafka.max-queued-bytes)")
                .unit(Unit.BYTES)
                .callback(cb -> cb.call(bridge.publisher().queuedBytes())).register(registry);
        GaugeWithCallback.builder().name("kube2kafka_paused_watchers")
                .help("Watchers paused because kafka.max-queued-bytes is waiting for Kafka; they read nothing until it drains")
                .callback(cb -> cb.call(bridge.publisher().pausedWatchers())).register(registry);
        Histogram commitTime = Histogram.builder().name("kube2kafka_transaction_commit_seconds")
                .help("Time to send a round's records and checkpoints and commit them").unit(Unit.SECONDS)
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        publisher.addCommitListener((events, nanos) -> commitTime.observe(nanos / 1e9));

        // The producer's own counters; they restart at 0 when the producer is recreated after a failure,
        // which Prometheus's rate() treats as a counter reset.
        producerCounter(registry, bridge, "kube2kafka_producer_record_errors", "record-error-total",
                "Record sends that failed after all retries (Kafka producer-metrics record-error-total)");
        producerCounter(registry, bridge, "kube2kafka_producer_record_retries", "record-retry-total",
                "Record sends retried (Kafka producer-metrics record-retry-total)");
        producerCounter(registry, bridge, "kube2kafka_producer_records_sent", "record-send-total",
                "Records sent, tombstones and checkpoints included (Kafka producer-metrics record-send-total)");
        return registry;
    }

    private static void producerCounter(PrometheusRegistry registry, Bridge bridge, String name, String kafkaName, String help) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> {
                    for (Map.Entry<MetricName, ? extends Metric> e : bridge.publisher().producerMetrics().entrySet()) {
                        if (e.getKey().group().equals("producer-metrics") && e.getKey().name().equals(kafkaName)
                                && e.getValue().metricValue() instanceof Number value) {
                            cb.call(value.doubleValue());
                            return;
                        }
                    }
                }).register(registry);
    }

    private static void forEach(Supplier<List<WatchStatus>> watches, BiConsumer<WatchStatus, String[]> sample) {
        for (WatchStatus watch : watches.get()) {
            WatchTarget target = watch.target();
            sample.accept(watch, new String[] {target.cluster(), target.resource().qualifiedName(), target.namespace()});
        }
    }

    /** Calls {@code sample} with the resourceVersion as a number, or not at all when it is absent or not numeric. */
    private static void numeric(String resourceVersion, java.util.function.DoubleConsumer sample) {
        if (resourceVersion != null && !resourceVersion.isEmpty() && resourceVersion.chars().allMatch(Character::isDigit)
                && resourceVersion.length() <= 15) {
            sample.accept(Long.parseLong(resourceVersion));
        }
    }
}
