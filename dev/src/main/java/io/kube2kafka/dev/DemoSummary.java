package io.kube2kafka.dev;

import io.kube2kafka.bridge.Bridge;
import io.kube2kafka.publish.PublisherStats;
import io.kube2kafka.watch.EventType;
import io.kube2kafka.watch.WatchStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/** The demo's live table: per watch, events/s since the last table, lag, and the current and committed resourceVersion. */
final class DemoSummary {
    private final Bridge bridge;
    private final Map<String, Long> lastEvents = new HashMap<>();
    private long lastNanos = System.nanoTime();

    DemoSummary(Bridge bridge) {
        this.bridge = bridge;
    }

    /** The table since the previous call. */
    synchronized String next() {
        long now = System.nanoTime();
        double seconds = Math.max(0.001, (now - lastNanos) / 1e9);
        lastNanos = now;
        PublisherStats publisher = bridge.publisher().stats();
        Map<String, String> committed = publisher.committedResourceVersions();
        StringBuilder table = new StringBuilder();
        table.append(String.format("---- summary %s: %d transactions, %s ----%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                publisher.transactions(), publisher.healthy() ? "Kafka healthy" : "Kafka failing: " + publisher.lastError()));
        table.append(String.format("  %-28s %-9s %8s %8s %10s %10s %10s%n", "RESOURCE", "STATE", "EVENTS/S", "LAG", "RV", "COMMITTED", "PUBLISHED"));
        for (WatchStatus watch : bridge.watchStatuses()) {
            String key = watch.target().key();
            long events = watch.events(EventType.ADDED) + watch.events(EventType.MODIFIED) + watch.events(EventType.DELETED);
            long before = lastEvents.getOrDefault(key, 0L);
            lastEvents.put(key, events);
            String lag = String.format("%.1fs", publisher.lagSeconds(key));
            String resource = watch.target().resource().qualifiedName() + (watch.target().namespace().isEmpty() ? "" : " " + watch.target().namespace());
            table.append(String.format("  %-28s %-9s %8.1f %8s %10s %10s %10d%n", resource, watch.state(), (events - before) / seconds, lag,
                    orDash(watch.resourceVersion()), orDash(committed.get(key)), publisher.events(key)));
        }
        return table.toString();
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
